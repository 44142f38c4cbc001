package io.djlint4.checkpoint;

import io.djlint4.kernels.gguf.BlockFormat;
import io.djlint4.kernels.gguf.Iq4NlFormat;
import io.djlint4.kernels.gguf.Q40Format;
import io.djlint4.kernels.gguf.Q41Format;
import io.djlint4.kernels.gguf.Q4KFormat;
import io.djlint4.kernels.gguf.Q50Format;
import io.djlint4.kernels.gguf.Q51Format;
import io.djlint4.kernels.gguf.Q5KFormat;
import io.djlint4.kernels.gguf.Q6KFormat;
import io.djlint4.kernels.gguf.Q80Format;

/**
 * The GGML tensor types (the {@code ggml_type} ids stored in GGUF tensor infos) with their block
 * geometry. Every type has a block size (values per block) and a type size (bytes per block) so
 * that tensor extents can be validated; the types this reader can expand to floats have a {@link
 * GgufDequantizer}, for the block types of {@code io.djlint4.kernels.gguf} their {@link
 * BlockFormat}'s dequantize.
 */
public enum GgufType {
    F32(0, 1, 4, GgufFloatBlocks::dequantizeF32),
    F16(1, 1, 2, GgufFloatBlocks::dequantizeF16),
    Q4_0(Q40Format.INSTANCE),
    Q4_1(Q41Format.INSTANCE),
    Q5_0(Q50Format.INSTANCE),
    Q5_1(Q51Format.INSTANCE),
    Q8_0(Q80Format.INSTANCE),
    Q8_1(9, 32, 40, null),
    Q2_K(10, 256, 84, null),
    Q3_K(11, 256, 110, null),
    Q4_K(Q4KFormat.INSTANCE),
    Q5_K(Q5KFormat.INSTANCE),
    Q6_K(Q6KFormat.INSTANCE),
    Q8_K(15, 256, 292, null),
    IQ2_XXS(16, 256, 66, null),
    IQ2_XS(17, 256, 74, null),
    IQ3_XXS(18, 256, 98, null),
    IQ1_S(19, 256, 50, null),
    IQ4_NL(Iq4NlFormat.INSTANCE),
    IQ3_S(21, 256, 110, null),
    IQ2_S(22, 256, 82, null),
    IQ4_XS(23, 256, 136, null),
    I8(24, 1, 1, null),
    I16(25, 1, 2, null),
    I32(26, 1, 4, null),
    I64(27, 1, 8, null),
    F64(28, 1, 8, null),
    IQ1_M(29, 256, 56, null),
    BF16(30, 1, 2, GgufFloatBlocks::dequantizeBf16),
    TQ1_0(34, 256, 54, null),
    TQ2_0(35, 256, 66, null),
    MXFP4(39, 32, 17, null);

    private static final GgufType[] BY_ID = new GgufType[64];

    static {
        for (GgufType t : values()) {
            BY_ID[t.id] = t;
        }
    }

    private final int id;
    private final int blockSize;
    private final int typeSize;
    private final GgufDequantizer dequantizer;

    GgufType(int id, int blockSize, int typeSize, GgufDequantizer dequantizer) {
        this.id = id;
        this.blockSize = blockSize;
        this.typeSize = typeSize;
        this.dequantizer = dequantizer;
    }

    GgufType(BlockFormat format) {
        this(format.ggmlType(), format.blockSize(), format.typeSize(), new GgufBlockFormatDequantizer(format));
    }

    /**
     * Finds a type by its {@code ggml_type} id.
     *
     * @param id the id read from a file
     * @return the type, or {@code null} if the id is unknown
     */
    public static GgufType fromId(long id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[(int) id] : null;
    }

    /**
     * Returns the {@code ggml_type} id.
     *
     * @return the id
     */
    public int id() {
        return id;
    }

    /**
     * Returns the number of values in one block.
     *
     * @return the block size
     */
    public int blockSize() {
        return blockSize;
    }

    /**
     * Returns the number of bytes of one block.
     *
     * @return the type size
     */
    public int typeSize() {
        return typeSize;
    }

    /**
     * Returns whether this reader can expand the type to floats.
     *
     * @return true for F32, F16, BF16 and the types of {@link io.djlint4.kernels.gguf.BlockFormats}
     */
    public boolean canDequantize() {
        return dequantizer != null;
    }

    /**
     * Returns the dequantizer.
     *
     * @return the dequantizer, or {@code null} if {@link #canDequantize()} is false
     */
    public GgufDequantizer dequantizer() {
        return dequantizer;
    }

    /**
     * Returns the number of bytes of {@code values} values, which must be a multiple of the block
     * size.
     *
     * @param values the number of values
     * @return the byte count
     */
    public long byteSize(long values) {
        return values / blockSize * typeSize;
    }
}
