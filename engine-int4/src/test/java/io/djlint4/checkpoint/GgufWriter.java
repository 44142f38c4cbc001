package io.djlint4.checkpoint;

import io.djlint4.kernels.gguf.BlockFormat;
import io.djlint4.kernels.gguf.BlockFormats;
import io.djlint4.kernels.gguf.SmallBlockEncoders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A test-only GGUF v3 writer: typed metadata, tensors from raw bytes or from floats encoded as
 * F32, F16, BF16 or a 32-value block type (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, IQ4_NL: ggml's reference
 * quantizers, in {@link SmallBlockEncoders}), and the alignment from {@code general.alignment}
 * (default 32).
 */
public final class GgufWriter {

    private final Map<String, byte[]> metadata = new LinkedHashMap<>();
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private int version = 3;

    /** A tensor to write: GGML dims (innermost first), type and encoded bytes. */
    public record Tensor(long[] dims, GgufType type, byte[] data) {}

    /**
     * Sets the version number written in the header (2 and 3 share the layout).
     *
     * @param v the version
     * @return this writer
     */
    public GgufWriter version(int v) {
        this.version = v;
        return this;
    }

    // ---- metadata ------------------------------------------------------------------------

    /**
     * Adds a metadata entry from its type id and pre-encoded value bytes.
     *
     * @param key the key
     * @param type the GGUF value type
     * @param value the little-endian value bytes
     * @return this writer
     */
    public GgufWriter putRaw(String key, int type, byte[] value) {
        Out o = new Out();
        o.i32(type);
        o.bytes(value);
        metadata.put(key, o.toBytes());
        return this;
    }

    public GgufWriter putString(String key, String v) {
        return putRaw(key, GgufReader.T_STRING, new Out().string(v).toBytes());
    }

    public GgufWriter putUint8(String key, int v) {
        return putRaw(key, GgufReader.T_UINT8, new byte[] {(byte) v});
    }

    public GgufWriter putInt8(String key, int v) {
        return putRaw(key, GgufReader.T_INT8, new byte[] {(byte) v});
    }

    public GgufWriter putUint16(String key, int v) {
        return putRaw(key, GgufReader.T_UINT16, new Out().i16(v).toBytes());
    }

    public GgufWriter putInt16(String key, int v) {
        return putRaw(key, GgufReader.T_INT16, new Out().i16(v).toBytes());
    }

    public GgufWriter putUint32(String key, long v) {
        return putRaw(key, GgufReader.T_UINT32, new Out().i32((int) v).toBytes());
    }

    public GgufWriter putInt32(String key, int v) {
        return putRaw(key, GgufReader.T_INT32, new Out().i32(v).toBytes());
    }

    public GgufWriter putUint64(String key, long v) {
        return putRaw(key, GgufReader.T_UINT64, new Out().i64(v).toBytes());
    }

    public GgufWriter putInt64(String key, long v) {
        return putRaw(key, GgufReader.T_INT64, new Out().i64(v).toBytes());
    }

    public GgufWriter putFloat32(String key, float v) {
        return putRaw(key, GgufReader.T_FLOAT32, new Out().f32(v).toBytes());
    }

    public GgufWriter putFloat64(String key, double v) {
        return putRaw(key, GgufReader.T_FLOAT64, new Out().i64(Double.doubleToRawLongBits(v)).toBytes());
    }

    public GgufWriter putBool(String key, boolean v) {
        return putRaw(key, GgufReader.T_BOOL, new byte[] {(byte) (v ? 1 : 0)});
    }

    public GgufWriter putStringArray(String key, String[] v) {
        Out o = new Out().i32(GgufReader.T_STRING).i64(v.length);
        for (String s : v) {
            o.string(s);
        }
        return putRaw(key, GgufReader.T_ARRAY, o.toBytes());
    }

    public GgufWriter putInt32Array(String key, int[] v) {
        Out o = new Out().i32(GgufReader.T_INT32).i64(v.length);
        for (int x : v) {
            o.i32(x);
        }
        return putRaw(key, GgufReader.T_ARRAY, o.toBytes());
    }

    public GgufWriter putUint32Array(String key, long[] v) {
        Out o = new Out().i32(GgufReader.T_UINT32).i64(v.length);
        for (long x : v) {
            o.i32((int) x);
        }
        return putRaw(key, GgufReader.T_ARRAY, o.toBytes());
    }

    public GgufWriter putFloat32Array(String key, float[] v) {
        Out o = new Out().i32(GgufReader.T_FLOAT32).i64(v.length);
        for (float x : v) {
            o.f32(x);
        }
        return putRaw(key, GgufReader.T_ARRAY, o.toBytes());
    }

    /**
     * Adds an array of int32 arrays (a nested array).
     *
     * @param key the key
     * @param v the inner arrays
     * @return this writer
     */
    public GgufWriter putNestedInt32Array(String key, int[][] v) {
        Out o = new Out().i32(GgufReader.T_ARRAY).i64(v.length);
        for (int[] inner : v) {
            o.i32(GgufReader.T_INT32).i64(inner.length);
            for (int x : inner) {
                o.i32(x);
            }
        }
        return putRaw(key, GgufReader.T_ARRAY, o.toBytes());
    }

    public GgufWriter remove(String key) {
        metadata.remove(key);
        return this;
    }

    // ---- tensors -------------------------------------------------------------------------

    /**
     * Adds a tensor from encoded bytes.
     *
     * @param name the name
     * @param dims GGML dims, innermost first
     * @param type the type
     * @param data the encoded bytes
     * @return this writer
     */
    public GgufWriter addTensor(String name, long[] dims, GgufType type, byte[] data) {
        tensors.put(name, new Tensor(dims.clone(), type, data));
        return this;
    }

    /**
     * Adds a tensor from floats, encoded in {@code type}.
     *
     * @param name the name
     * @param dims GGML dims, innermost first
     * @param type F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0 or IQ4_NL
     * @param values the row-major values
     * @return this writer
     */
    public GgufWriter addFloats(String name, long[] dims, GgufType type, float[] values) {
        return addTensor(name, dims, type, encode(type, values));
    }

    public GgufWriter removeTensor(String name) {
        tensors.remove(name);
        return this;
    }

    public Tensor tensor(String name) {
        return tensors.get(name);
    }

    /**
     * Encodes floats in a GGML type.
     *
     * @param type F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0 or IQ4_NL
     * @param v the values (a multiple of the block size)
     * @return the encoded bytes
     */
    public static byte[] encode(GgufType type, float[] v) {
        if (v.length % type.blockSize() != 0) {
            throw new IllegalArgumentException(v.length + " values are not whole " + type + " blocks");
        }
        ByteBuffer b = ByteBuffer.allocate((int) type.byteSize(v.length)).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case F32:
                for (float x : v) {
                    b.putFloat(x);
                }
                break;
            case F16:
                for (float x : v) {
                    b.putShort(Float16.fromFloat(x));
                }
                break;
            case BF16:
                for (float x : v) {
                    b.putShort(Float16.floatToBf16(x));
                }
                break;
            default:
                BlockFormat f = BlockFormats.byType(type.id())
                        .orElseThrow(() -> new IllegalArgumentException("cannot encode " + type));
                return SmallBlockEncoders.encode(f, v);
        }
        return b.array();
    }

    // ---- output --------------------------------------------------------------------------

    /**
     * Encodes the whole file.
     *
     * @return the file bytes
     */
    public byte[] toBytes() {
        int alignment = GgufReader.DEFAULT_ALIGNMENT;
        byte[] a = metadata.get("general.alignment");
        if (a != null) {
            alignment = ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN).getInt(4);
        }
        Out o = new Out();
        o.i32(GgufReader.MAGIC).i32(version).i64(tensors.size()).i64(metadata.size());
        for (Map.Entry<String, byte[]> e : metadata.entrySet()) {
            o.string(e.getKey());
            o.bytes(e.getValue());
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            o.string(e.getKey()).i32(t.dims.length);
            for (long d : t.dims) {
                o.i64(d);
            }
            o.i32(t.type.id()).i64(offset);
            offset = GgufReader.alignUp(offset + t.data.length, alignment);
        }
        if (!tensors.isEmpty()) {
            o.pad(alignment);
        }
        for (Tensor t : tensors.values()) {
            o.bytes(t.data);
            o.pad(alignment);
        }
        return o.toBytes();
    }

    /**
     * Writes the file.
     *
     * @param file the destination
     * @return {@code file}
     * @throws IOException if writing fails
     */
    public Path write(Path file) throws IOException {
        Files.write(file, toBytes());
        return file;
    }

    /** A little-endian byte sink. */
    static final class Out {
        private final ByteArrayOutputStream s = new ByteArrayOutputStream();

        Out i16(int v) {
            s.write(v);
            s.write(v >>> 8);
            return this;
        }

        Out i32(int v) {
            for (int i = 0; i < 4; i++) {
                s.write(v >>> (8 * i));
            }
            return this;
        }

        Out i64(long v) {
            for (int i = 0; i < 8; i++) {
                s.write((int) (v >>> (8 * i)));
            }
            return this;
        }

        Out f32(float v) {
            return i32(Float.floatToRawIntBits(v));
        }

        Out string(String v) {
            byte[] b = v.getBytes(StandardCharsets.UTF_8);
            i64(b.length);
            s.write(b, 0, b.length);
            return this;
        }

        Out bytes(byte[] b) {
            s.write(b, 0, b.length);
            return this;
        }

        Out pad(int alignment) {
            while (s.size() % alignment != 0) {
                s.write(0);
            }
            return this;
        }

        int size() {
            return s.size();
        }

        byte[] toBytes() {
            return s.toByteArray();
        }
    }
}
