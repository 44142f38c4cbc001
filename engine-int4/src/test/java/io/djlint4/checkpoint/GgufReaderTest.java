package io.djlint4.checkpoint;

import static io.djlint4.checkpoint.WeightAssertions.assertFormatError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.kernels.gguf.BlockFormat;
import io.djlint4.kernels.gguf.BlockFormats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GGUF container: header, every metadata type, tensor infos, alignment, malformed files. */
class GgufReaderTest {

    @TempDir Path dir;

    private Path write(GgufWriter w) throws IOException {
        return w.write(dir.resolve("m.gguf"));
    }

    private Path write(byte[] bytes) throws IOException {
        Path f = dir.resolve("bad.gguf");
        Files.write(f, bytes);
        return f;
    }

    @Test
    void readsEveryMetadataType() throws IOException {
        GgufWriter w = new GgufWriter()
                .putUint8("u8", 200)
                .putInt8("i8", -5)
                .putUint16("u16", 60000)
                .putInt16("i16", -300)
                .putUint32("u32", 4_000_000_000L)
                .putInt32("i32", -7)
                .putFloat32("f32", 1.5f)
                .putBool("bool", true)
                .putString("str", "héllo ✓")
                .putUint64("u64", -1L)
                .putInt64("i64", -9L)
                .putFloat64("f64", 2.25)
                .putStringArray("strs", new String[] {"a", "", "ü"})
                .putInt32Array("ints", new int[] {1, -2, 3})
                .putUint32Array("uints", new long[] {4_000_000_000L, 1})
                .putFloat32Array("floats", new float[] {0.5f, -1f})
                .putNestedInt32Array("nested", new int[][] {{1, 2}, {}, {3}});
        try (GgufReader r = GgufReader.open(write(w))) {
            Map<String, Object> m = r.metadata();
            assertEquals(3, r.version());
            assertEquals(200, m.get("u8"));
            assertEquals(-5, m.get("i8"));
            assertEquals(60000, m.get("u16"));
            assertEquals(-300, m.get("i16"));
            assertEquals(4_000_000_000L, m.get("u32"));
            assertEquals(-7, m.get("i32"));
            assertEquals(1.5f, m.get("f32"));
            assertEquals(true, m.get("bool"));
            assertEquals("héllo ✓", m.get("str"));
            assertEquals(-1L, m.get("u64"));
            assertEquals(-9L, m.get("i64"));
            assertEquals(2.25, m.get("f64"));
            assertArrayEquals(new String[] {"a", "", "ü"}, (String[]) m.get("strs"));
            assertArrayEquals(new int[] {1, -2, 3}, (int[]) m.get("ints"));
            assertArrayEquals(new long[] {4_000_000_000L, 1}, (long[]) m.get("uints"));
            assertArrayEquals(new float[] {0.5f, -1f}, (float[]) m.get("floats"));
            Object[] nested = (Object[]) m.get("nested");
            assertArrayEquals(new int[] {1, 2}, (int[]) nested[0]);
            assertArrayEquals(new int[] {}, (int[]) nested[1]);
            assertEquals(List.of("u8", "i8", "u16"), List.copyOf(m.keySet()).subList(0, 3)); // file order
            Path f = r.file();
            assertEquals(4_000_000_000L, GgufMetadata.optLong(f, m, "u32"));
            assertArrayEquals(new int[] {1, -2, 3}, GgufMetadata.optIntArray(f, m, "ints"));
            assertEquals(1.5, GgufMetadata.optDouble(f, m, "f32"));
            assertFormatError(() -> GgufMetadata.optInt(f, m, "u32"), "u32", "out of range");
            assertFormatError(() -> GgufMetadata.optString(f, m, "i32"), "i32", "string");
        }
    }

    @Test
    void readsTensorsWithCustomAlignmentAndVersion2() throws IOException {
        float[] a = {1, 2, 3, 4, 5, 6};
        float[] b = new float[64];
        for (int i = 0; i < b.length; i++) {
            b[i] = i * 0.25f - 3;
        }
        GgufWriter w = new GgufWriter()
                .version(2)
                .putUint32("general.alignment", 64)
                .addFloats("a", new long[] {3, 2}, GgufType.F32, a)
                .addFloats("b", new long[] {32, 2}, GgufType.F16, b)
                .addFloats("c", new long[] {64}, GgufType.BF16, b);
        try (GgufReader r = GgufReader.open(write(w))) {
            assertEquals(2, r.version());
            assertEquals(64, r.alignment());
            assertEquals(List.of("a", "b", "c"), r.tensorNames());
            GgufTensorInfo ia = r.info("a");
            assertArrayEquals(new long[] {3, 2}, ia.dims());
            assertArrayEquals(new long[] {2, 3}, ia.shape());
            assertEquals(GgufType.F32, ia.type());
            for (String n : r.tensorNames()) {
                assertEquals(0, r.info(n).fileOffset() % 64, n);
            }
            assertArrayEquals(a, r.readFloats("a"));
            assertArrayEquals(b, r.readFloats("b")); // exactly representable in F16
            assertArrayEquals(b, r.readFloats("c"));
            assertEquals(24, r.rawData("a").remaining());
        }
    }

    @Test
    void dequantizesQuantizedTensorsOnLoad() throws IOException {
        // A hand-built Q4_0 block: d = 0.5, codes j (low) and 15 - j (high).
        byte[] q40 = new byte[18];
        q40[0] = 0x00;
        q40[1] = 0x38;
        float[] expected = new float[32];
        for (int j = 0; j < 16; j++) {
            q40[2 + j] = (byte) (j | ((15 - j) << 4));
            expected[j] = (j - 8) * 0.5f;
            expected[16 + j] = (7 - j) * 0.5f;
        }
        // A Q8_0 row quantized by the writer: within half a step of the input.
        float[] x = new float[64];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i);
        }
        GgufWriter w = new GgufWriter()
                .addTensor("q4", new long[] {32}, GgufType.Q4_0, q40)
                .addFloats("q8", new long[] {64}, GgufType.Q8_0, x);
        try (GgufReader r = GgufReader.open(write(w))) {
            assertArrayEquals(expected, r.readFloats("q4"));
            float[] y = r.readFloats("q8");
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i], y[i], 0.5 / 127 * 1.001 + 1e-3 / 127, "q8[" + i + "]");
            }
        }
    }

    @Test
    void tensorOfATypeThatCannotBeExpanded() throws IOException {
        // Q8_1 is ggml's activation type; no reader expands it.
        GgufWriter w = new GgufWriter().addTensor("w8", new long[] {32}, GgufType.Q8_1, new byte[40]);
        try (GgufReader r = GgufReader.open(write(w))) {
            assertEquals(GgufType.Q8_1, r.info("w8").type());
            assertFormatError(() -> r.readFloats("w8"), "'w8'", "Q8_1", "supported: ", "Q5_0", "IQ4_NL");
        }
    }

    /** The types SmolLM2's Q4_K_M file mixes in besides Q4_K and Q6_K, and the rest of the 32-value ones. */
    @Test
    void readsEveryBlockFormatType() throws IOException {
        float[] x = new float[96];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.cos(0.7 * i) * (1 + i % 5);
        }
        GgufType[] types = {GgufType.Q4_0, GgufType.Q4_1, GgufType.Q5_0, GgufType.Q5_1, GgufType.Q8_0, GgufType.IQ4_NL};
        GgufWriter w = new GgufWriter();
        for (GgufType t : types) {
            w.addFloats(t.name(), new long[] {32, 3}, t, x);
        }
        try (GgufReader r = GgufReader.open(write(w))) {
            for (GgufType t : types) {
                BlockFormat f = BlockFormats.byType(t.id()).orElseThrow();
                float[] expected = new float[x.length];
                f.dequantize(w.tensor(t.name()).data(), 0, expected, 0, 3);
                assertArrayEquals(expected, r.readFloats(t.name()), t.name());
            }
        }
    }

    @Test
    void hasMagicDetectsGgufFiles() throws IOException {
        assertTrue(GgufReader.hasMagic(write(new GgufWriter())));
        assertFalse(GgufReader.hasMagic(write(new byte[] {'G', 'G'})));
    }

    // ---- malformed files: one test per case ----------------------------------------------

    @Test
    void wrongMagic() throws IOException {
        byte[] bytes = new GgufWriter().putString("k", "v").toBytes();
        bytes[0] = 'X';
        Path f = write(bytes);
        assertFormatError(() -> GgufReader.open(f), f.toString(), "magic", "not a GGUF file");
    }

    @Test
    void unsupportedVersion() throws IOException {
        Path f = write(new GgufWriter().version(1).toBytes());
        assertFormatError(() -> GgufReader.open(f), "version", "unsupported GGUF version 1");
    }

    @Test
    void fileShorterThanTheMagic() throws IOException {
        Path f = write(new byte[] {'G', 'G'});
        assertFormatError(() -> GgufReader.open(f), "too short");
    }

    @Test
    void truncatedInsideMetadata() throws IOException {
        byte[] bytes = new GgufWriter().putString("general.name", "a fairly long model name").toBytes();
        Path f = write(Arrays.copyOf(bytes, bytes.length - 10));
        assertFormatError(() -> GgufReader.open(f), "general.name", "exceeds");
    }

    @Test
    void truncatedInsideAScalar() throws IOException {
        byte[] bytes = new GgufWriter().putUint64("general.size", 5).toBytes();
        Path f = write(Arrays.copyOf(bytes, bytes.length - 3));
        assertFormatError(() -> GgufReader.open(f), "general.size", "unexpected end of file");
    }

    @Test
    void truncatedTensorData() throws IOException {
        byte[] bytes = new GgufWriter().addFloats("w", new long[] {64}, GgufType.F32, new float[64]).toBytes();
        Path f = write(Arrays.copyOf(bytes, bytes.length - 4));
        assertFormatError(() -> GgufReader.open(f), "'w'", "beyond the end of the file");
    }

    @Test
    void tensorOffsetBeyondTheFile() throws IOException {
        GgufWriter w = new GgufWriter().addFloats("w", new long[] {8}, GgufType.F32, new float[8]);
        byte[] bytes = w.toBytes();
        // The offset is the last 8 bytes of the tensor info, just before the alignment padding.
        int infoEnd = indexOf(bytes, "w".getBytes()) + 1 + 4 + 8 + 4;
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(infoEnd, 1L << 40);
        Path f = write(bytes);
        assertFormatError(() -> GgufReader.open(f), "'w'", "beyond the end of the file");
    }

    @Test
    void misalignedTensorOffset() throws IOException {
        byte[] bytes = new GgufWriter().addFloats("w", new long[] {8}, GgufType.F32, new float[8]).toBytes();
        int infoEnd = indexOf(bytes, "w".getBytes()) + 1 + 4 + 8 + 4;
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(infoEnd, 4);
        Path f = write(bytes);
        assertFormatError(() -> GgufReader.open(f), "'w'", "alignment");
    }

    @Test
    void lyingStringLengthDoesNotAllocate() throws IOException {
        // A string value claiming 2^62 bytes: must fail on the length, not run out of memory.
        byte[] value = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 62).putInt(0).array();
        Path f = write(new GgufWriter().putRaw("tokenizer.chat_template", GgufReader.T_STRING, value).toBytes());
        assertFormatError(() -> GgufReader.open(f), "tokenizer.chat_template", "string length 4611686018427387904");
    }

    @Test
    void lyingStringLengthBeyondSignedRange() throws IOException {
        byte[] value = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(-2L).array();
        Path f = write(new GgufWriter().putRaw("s", GgufReader.T_STRING, value).toBytes());
        assertFormatError(() -> GgufReader.open(f), "'s'", "string length 18446744073709551614");
    }

    @Test
    void lyingArrayCountDoesNotAllocate() throws IOException {
        // An int32 array claiming 2^40 elements in a file of a few dozen bytes.
        byte[] value = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(GgufReader.T_INT32).putLong(1L << 40).array();
        Path f = write(new GgufWriter().putRaw("tokenizer.ggml.token_type", GgufReader.T_ARRAY, value).toBytes());
        assertFormatError(() -> GgufReader.open(f), "tokenizer.ggml.token_type", "count 1099511627776");
    }

    @Test
    void lyingStringArrayCountDoesNotAllocate() throws IOException {
        // 100 million strings would need at least 800 MB; the file has a few bytes left.
        byte[] value = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(GgufReader.T_STRING).putLong(100_000_000L).putLong(1).array();
        Path f = write(new GgufWriter().putRaw("tokenizer.ggml.tokens", GgufReader.T_ARRAY, value).toBytes());
        assertFormatError(() -> GgufReader.open(f), "tokenizer.ggml.tokens", "count 100000000");
    }

    @Test
    void lyingArrayCountWithinAnArrayOfArrays() throws IOException {
        byte[] value = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(GgufReader.T_ARRAY).putLong(1)
                .putInt(GgufReader.T_FLOAT64).putLong(Long.MAX_VALUE).array();
        Path f = write(new GgufWriter().putRaw("nested", GgufReader.T_ARRAY, value).toBytes());
        assertFormatError(() -> GgufReader.open(f), "nested", "count");
    }

    @Test
    void lyingTensorCount() throws IOException {
        byte[] bytes = new GgufWriter().toBytes();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(8, 1L << 50);
        Path f = write(bytes);
        assertFormatError(() -> GgufReader.open(f), "tensor_count");
    }

    @Test
    void lyingMetadataCount() throws IOException {
        byte[] bytes = new GgufWriter().toBytes();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(16, 1L << 33);
        Path f = write(bytes);
        assertFormatError(() -> GgufReader.open(f), "metadata_kv_count");
    }

    @Test
    void unknownMetadataValueType() throws IOException {
        Path f = write(new GgufWriter().putRaw("weird", 13, new byte[8]).toBytes());
        assertFormatError(() -> GgufReader.open(f), "'weird'", "unknown metadata value type 13");
    }

    @Test
    void unknownTensorType() throws IOException {
        byte[] bytes = new GgufWriter().addFloats("blk.0.attn_q.weight", new long[] {8}, GgufType.F32, new float[8]).toBytes();
        int typeAt = indexOf(bytes, "blk.0.attn_q.weight".getBytes()) + "blk.0.attn_q.weight".length() + 4 + 8;
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(typeAt, 99);
        Path f = write(bytes);
        assertFormatError(() -> GgufReader.open(f), "blk.0.attn_q.weight", "unknown GGML tensor type id 99");
    }

    @Test
    void tooManyDimensions() throws IOException {
        Path f = write(new GgufWriter().addTensor("w", new long[] {1, 1, 1, 1, 2}, GgufType.F32, new byte[8]).toBytes());
        assertFormatError(() -> GgufReader.open(f), "'w'", "5 dimensions");
    }

    @Test
    void rowNotAWholeNumberOfBlocks() throws IOException {
        Path f = write(new GgufWriter().addTensor("w", new long[] {16}, GgufType.Q8_0, new byte[34]).toBytes());
        assertFormatError(() -> GgufReader.open(f), "'w'", "block size 32");
    }

    @Test
    void invalidAlignment() throws IOException {
        Path f = write(new GgufWriter().putUint32("general.alignment", 3).toBytes());
        assertFormatError(() -> GgufReader.open(f), "general.alignment", "power of two");
    }

    @Test
    void duplicateMetadataKey() throws IOException {
        byte[] one = new GgufWriter().putUint32("k", 1).toBytes();
        // Same entry twice: patch the count and append a copy of the entry.
        byte[] entry = Arrays.copyOfRange(one, 24, one.length);
        byte[] both = Arrays.copyOf(one, one.length + entry.length);
        System.arraycopy(entry, 0, both, one.length, entry.length);
        ByteBuffer.wrap(both).order(ByteOrder.LITTLE_ENDIAN).putLong(16, 2);
        Path f = write(both);
        assertFormatError(() -> GgufReader.open(f), "'k'", "duplicate");
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
