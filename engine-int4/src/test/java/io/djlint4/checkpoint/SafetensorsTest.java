package io.djlint4.checkpoint;

import static io.djlint4.checkpoint.WeightAssertions.assertFormatError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SafetensorsWriter → SafetensorsReader round trips, the file layout, and malformed files. */
class SafetensorsTest {

    @TempDir Path dir;

    private static float[] ramp(int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (i - n / 2) * 0.37f;
        }
        return f;
    }

    @Test
    void roundTripsEveryDtypeAndMetadata() throws IOException {
        float[] a = ramp(12);
        float[] b = ramp(7);
        float[] c = ramp(6);
        byte[] packed = {1, 2, 3, (byte) 250, 5};
        Path file = dir.resolve("t.safetensors");
        new SafetensorsWriter()
                .putMetadata("format", "pt")
                .putMetadata("quant", "int4")
                .addBytes("packed", "U8", new long[] {5}, packed)
                .addFloats("a", new long[] {3, 4}, a)
                .addFloats("b.f16", SafetensorsDtype.F16, new long[] {7}, b)
                .addFloats("c.bf16", SafetensorsDtype.BF16, new long[] {2, 3}, c)
                .addInts("idx", new long[] {3}, new int[] {-1, 0, 70000})
                .addFloats("scalar", new long[] {}, new float[] {42f})
                .write(file);
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            assertEquals(Map.of("format", "pt", "quant", "int4"), r.metadata());
            assertEquals(6, r.tensorNames().size());
            assertArrayEquals(a, r.readFloats("a"));
            assertArrayEquals(new long[] {3, 4}, r.info("a").shape());
            assertArrayEquals(RandomCheckpoints.roundThrough(SafetensorsDtype.F16, b), r.readFloats("b.f16"));
            assertArrayEquals(RandomCheckpoints.roundThrough(SafetensorsDtype.BF16, c), r.readFloats("c.bf16"));
            assertEquals(SafetensorsDtype.BF16, r.info("c.bf16").dtype());
            assertArrayEquals(packed, r.readBytes("packed"));
            assertEquals(SafetensorsDtype.U8, r.info("packed").dtype());
            ByteBuffer idx = ByteBuffer.wrap(r.readBytes("idx")).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(70000, idx.getInt(8));
            assertArrayEquals(new float[] {42f}, r.readFloats("scalar"));
            assertFormatError(() -> r.readFloats("packed"), "packed", "U8");
            assertFormatError(() -> r.readFloats("nope"), "nope");
        }
    }

    @Test
    void headerIsPaddedTo8BytesAndTensorsAreAlignedAndContiguous() throws IOException {
        Path file = dir.resolve("t.safetensors");
        new SafetensorsWriter()
                .addBytes("odd", "U8", new long[] {3}, new byte[3])
                .addFloats("f", new long[] {5}, ramp(5))
                .addFloats("h", SafetensorsDtype.F16, new long[] {3}, ramp(3))
                .write(file);
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, (8 + n) % 8);
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{"), header);
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            long start = 8 + n;
            // Larger elements first: every tensor starts at a multiple of its element size, and the
            // data section has no holes (the reference implementation rejects holes).
            assertEquals(start, r.info("f").begin());
            assertEquals(start + 20, r.info("h").begin());
            assertEquals(start + 26, r.info("odd").begin());
            assertEquals(bytes.length, start + 29);
        }
    }

    @Test
    void writeIsAtomicAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("m.safetensors");
        new SafetensorsWriter().addFloats("x", new long[] {2}, new float[] {1, 2}).write(file);
        new SafetensorsWriter().addFloats("y", new long[] {1}, new float[] {3}).write(file);
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            assertEquals(List.of("y"), r.tensorNames());
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(file), s.toList());
        }
    }

    @Test
    void writerRejectsInconsistentInput() {
        SafetensorsWriter w = new SafetensorsWriter();
        assertThrows(IllegalArgumentException.class, () -> w.addFloats("x", new long[] {3}, new float[2]));
        assertThrows(IllegalArgumentException.class, () -> w.addBytes("x", "Q9", new long[] {1}, new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> w.addBytes("x", "I32", new long[] {1}, new byte[3]));
        w.addFloats("x", new long[] {1}, new float[1]);
        assertThrows(IllegalArgumentException.class, () -> w.addFloats("x", new long[] {1}, new float[1]));
    }

    // ---- malformed files: one test per case ----------------------------------------------

    /** Writes 8-byte length + header + data. */
    private Path raw(String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path file = dir.resolve("bad.safetensors");
        Files.write(file, b.array());
        return file;
    }

    @Test
    void fileShorterThanTheLengthField() throws IOException {
        Path file = dir.resolve("short.safetensors");
        Files.write(file, new byte[] {1, 2, 3});
        assertFormatError(() -> SafetensorsReader.open(file), file.toString(), "too short");
    }

    @Test
    void headerLengthBeyondTheFile() throws IOException {
        Path file = dir.resolve("huge.safetensors");
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(1L << 40); // would be a terabyte header: must be rejected before allocating
        Files.write(file, b.array());
        assertFormatError(() -> SafetensorsReader.open(file), file.toString(), "header", "header length");
    }

    @Test
    void negativeHeaderLength() throws IOException {
        Path file = dir.resolve("neg.safetensors");
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(-8);
        Files.write(file, b.array());
        assertFormatError(() -> SafetensorsReader.open(file), "header length");
    }

    @Test
    void headerThatIsNotJson() throws IOException {
        Path file = raw("{\"a\": [1, 2", 0);
        assertFormatError(() -> SafetensorsReader.open(file), "header", "JSON");
    }

    @Test
    void overlappingTensorsAreRefused() throws IOException {
        Path file = raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12);
        assertFormatError(() -> SafetensorsReader.open(file), "'b'", "overlap");
    }

    @Test
    void duplicateTensorNamesAreRefused() throws IOException {
        Path file = raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8);
        CheckpointFormatException e = assertFormatError(() -> SafetensorsReader.open(file), "'w'", "duplicate JSON key");
        assertEquals("w", e.getCulprit());
    }

    @Test
    void dataNoTensorDescribesIsRefused() throws IOException {
        Path gap = raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12);
        assertFormatError(() -> SafetensorsReader.open(gap), "'b'", "gap");
        Path tail = raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 12);
        assertFormatError(() -> SafetensorsReader.open(tail), "'data'", "no tensor describes");
    }

    @Test
    void truncatedData() throws IOException {
        Path good = dir.resolve("good.safetensors");
        new SafetensorsWriter().addFloats("w", new long[] {4, 4}, ramp(16)).write(good);
        byte[] bytes = Files.readAllBytes(good);
        Path file = dir.resolve("truncated.safetensors");
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 5));
        assertFormatError(() -> SafetensorsReader.open(file), "'w'", "data_offsets", "outside");
    }

    @Test
    void dataOffsetsBeyondTheFile() throws IOException {
        Path file = raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[1000000,1000008]}}", 8);
        assertFormatError(() -> SafetensorsReader.open(file), "'w'", "data_offsets", "outside");
    }

    @Test
    void dataOffsetsDisagreeWithDtypeAndShape() throws IOException {
        Path file = raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8);
        assertFormatError(() -> SafetensorsReader.open(file), "'w'", "F32", "[3]", "needs 12");
    }

    @Test
    void reversedDataOffsets() throws IOException {
        Path file = raw("{\"w\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[8,0]}}", 8);
        assertFormatError(() -> SafetensorsReader.open(file), "'w'", "data_offsets");
    }

    @Test
    void unknownDtype() throws IOException {
        Path file = raw("{\"w\":{\"dtype\":\"F4_E2M1\",\"shape\":[2],\"data_offsets\":[0,1]}}", 1);
        assertFormatError(() -> SafetensorsReader.open(file), "'w'", "unknown dtype", "F4_E2M1");
    }

    @Test
    void dtypeThatIsNotFloat() throws IOException {
        Path file = raw("{\"w\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8);
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            assertFormatError(() -> r.readFloats("w"), "'w'", "I64");
        }
    }

    @Test
    void missingShape() throws IOException {
        Path file = raw("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4);
        assertFormatError(() -> SafetensorsReader.open(file), "'w'", "shape");
    }

    @Test
    void nonStringMetadata() throws IOException {
        Path file = raw("{\"__metadata__\":{\"n\":3}}", 0);
        assertFormatError(() -> SafetensorsReader.open(file), "__metadata__.n", "strings");
    }
}
