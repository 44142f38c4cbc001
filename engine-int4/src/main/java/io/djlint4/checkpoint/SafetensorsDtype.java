package io.djlint4.checkpoint;

import java.util.Locale;

/** The element types of the safetensors format, with their sizes in bytes. */
public enum SafetensorsDtype {
    BOOL(1),
    U8(1),
    I8(1),
    F8_E5M2(1),
    F8_E4M3(1),
    I16(2),
    U16(2),
    F16(2),
    BF16(2),
    I32(4),
    U32(4),
    F32(4),
    F64(8),
    I64(8),
    U64(8);

    private final int size;

    SafetensorsDtype(int size) {
        this.size = size;
    }

    /**
     * Returns the size of one element.
     *
     * @return bytes per element
     */
    public int size() {
        return size;
    }

    /**
     * Returns whether {@link SafetensorsReader#readFloats} can convert this type.
     *
     * @return true for F32, F16 and BF16
     */
    public boolean isReadableAsFloat() {
        return this == F32 || this == F16 || this == BF16;
    }

    /**
     * Finds a dtype by its header name.
     *
     * @param name the name, e.g. {@code "BF16"}
     * @return the dtype, or {@code null} if unknown
     */
    public static SafetensorsDtype of(String name) {
        if (name == null) {
            return null;
        }
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
