package io.djlint4.kernels.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The multi-threaded GGUF product of every format, fused (one or two rows) and panel-expanded
 * (more rows), against the dequantize-then-dot reference; the 8-bit variant against the formats'
 * scalar 8-bit products.
 */
class GgufMatmulTest {

    static Stream<BlockFormat> formats() {
        return BlockFormats.all().stream();
    }

    /** Encodes random weights with the test encoders of the format's family. */
    static GgufMatrix randomMatrix(BlockFormat f, int rows, int cols, long seed) {
        Random rnd = new Random(seed);
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian() * 0.05f;
        }
        byte[] bytes = f.blockSize() == 256 ? KQuantEncoders.encode(f, w) : SmallBlockEncoders.encode(f, w);
        return new GgufMatrix(f, rows, cols, bytes);
    }

    private static float[] randomInput(int n, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        x[n / 3] = 25f; // one outlier channel, as real activations have
        return x;
    }

    private static void assertClose(float[] expected, float[] actual, double relTol, String what) {
        assertEquals(expected.length, actual.length);
        double scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs(expected[i] - actual[i]) <= relTol * scale + 1e-6,
                    what + " at " + i + ": expected " + expected[i] + ", got " + actual[i]);
        }
    }

    @ParameterizedTest
    @MethodSource("formats")
    void floatProductMatchesTheReferenceForEveryRowCount(BlockFormat f) {
        int cols = f.blockSize() * 3;
        int out = 37; // off the grain and panel widths
        GgufMatrix w = randomMatrix(f, out, cols, 1);
        float[] bias = randomInput(out, 2);
        for (int rows : new int[] {1, 2, 3, 9}) {
            float[] x = randomInput(rows * cols, 3 + rows);
            float[] expected = new float[rows * out];
            float[] actual = new float[rows * out];
            GgufMatmul.matmulReference(x, rows, w, bias, expected);
            GgufMatmul.matmul(x, rows, w, bias, actual);
            assertClose(expected, actual, 1e-5, f.typeName() + " rows=" + rows);
        }
    }

    @ParameterizedTest
    @MethodSource("formats")
    void rowByRowGivesEveryInputRowWhatItGetsAloneBitForBit(BlockFormat f) {
        int cols = f.blockSize() * 3;
        int out = 37;
        GgufMatrix w = randomMatrix(f, out, cols, 11);
        float[] bias = randomInput(out, 12);
        int rows = 11; // two passes of four input rows and three left over
        float[] x = randomInput(rows * cols, 13);
        float[] all = new float[rows * out];
        GgufMatmul.matmulRowByRow(x, rows, w, bias, all);
        for (int r = 0; r < rows; r++) {
            float[] alone = new float[out];
            GgufMatmul.matmulRowByRow(Arrays.copyOfRange(x, r * cols, (r + 1) * cols), 1, w, bias, alone);
            for (int o = 0; o < out; o++) {
                assertEquals(Float.floatToIntBits(alone[o]), Float.floatToIntBits(all[r * out + o]),
                        f.typeName() + " input row " + r + ", output " + o);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("formats")
    void rowKernelsEqualTheScalarDotOfEachRow(BlockFormat f) {
        int cols = f.blockSize() * 5;
        int out = 7;
        GgufMatrix w = randomMatrix(f, out, cols, 6);
        float[] x = randomInput(2 * cols, 7);
        int blocks = w.blocksPerRow();
        int fields = f.halfFieldOffsets().length;
        for (int first = 0; first < 2; first++) {
            for (int count = 1; first + count <= out; count++) {
                float[] expected = new float[count];
                for (int r = 0; r < count; r++) {
                    expected[r] = f.dotReference(w.data(), (first + r) * w.rowBytes(), x, cols, blocks);
                }
                float[] y = new float[count + 2];
                y[0] = 42f;
                y[count + 1] = 43f;
                f.dotRows(w.data(), first * w.rowBytes(), w.rowBytes(), w.halves(), first * blocks * fields, x, cols,
                        blocks, y, 1, count);
                assertClose(expected, Arrays.copyOfRange(y, 1, count + 1), 1e-5,
                        f.typeName() + " rows " + first + ".." + (first + count - 1));
                assertEquals(42f, y[0], "written before the first row");
                assertEquals(43f, y[count + 1], "written after the last row");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("formats")
    void eightBitProductIsTheFormatsEightBitDotPerRow(BlockFormat f) {
        int cols = f.blockSize() * 2;
        int out = 21;
        int rows = 3;
        GgufMatrix w = randomMatrix(f, out, cols, 4);
        float[] x = randomInput(rows * cols, 5);
        Q8Activations a = Q8Activations.quantize(x, rows, cols);
        float[] expected = new float[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                expected[r * out + o] = f.dotQ8Reference(w.data(), o * w.rowBytes(), a, r * cols, w.blocksPerRow());
            }
        }
        float[] actual = new float[rows * out];
        GgufMatmul.matmulQ8(x, rows, w, null, actual);
        assertClose(expected, actual, 1e-5, f.typeName() + " 8-bit");
        float[] floatInputs = new float[rows * out];
        GgufMatmul.matmulReference(x, rows, w, null, floatInputs);
        assertClose(floatInputs, actual, 0.02, f.typeName() + " 8-bit vs float inputs");
    }

    @Test
    void q8ActivationsRoundEachBlockOfThirtyTwo() {
        float[] x = new float[64];
        for (int i = 0; i < 32; i++) {
            x[i] = i - 16;
            x[32 + i] = 0.001f * i;
        }
        Q8Activations a = Q8Activations.quantize(x, 2, 32);
        assertEquals(16f / 127f, a.scales()[0], 0f);
        assertEquals(-127, a.codes()[0]);
        assertEquals(Math.round(15 * 127f / 16f), a.codes()[31]);
        assertEquals(127, a.codes()[63]);
        int sum = 0;
        for (int i = 32; i < 64; i++) {
            sum += a.codes()[i];
        }
        assertEquals(sum, a.sums()[1]);
        Q8Activations zeros = Q8Activations.quantize(new float[32], 1, 32);
        assertEquals(0f, zeros.scales()[0]);
        assertArrayEquals(new byte[32], zeros.codes());
        assertThrows(IllegalArgumentException.class, () -> Q8Activations.quantize(new float[48], 1, 48));
    }

    @ParameterizedTest
    @MethodSource("formats")
    void expandIsTheDequantizeReferenceValueForValue(BlockFormat f) {
        GgufMatrix w = randomMatrix(f, 3, f.blockSize() * 5, 7);
        int blocks = 3 * w.blocksPerRow();
        float[] expected = new float[blocks * f.blockSize() + 2];
        float[] actual = new float[expected.length];
        f.dequantize(w.data(), 0, expected, 2, blocks);
        for (int rep = 0; rep < 3000; rep++) { // long enough for the compiled path to run too
            f.expand(w.data(), 0, actual, 2, blocks);
        }
        assertArrayEquals(expected, actual, f.typeName());
    }

    @ParameterizedTest
    @MethodSource("formats")
    void permutingRowsMovesWholeRows(BlockFormat f) {
        GgufMatrix w = randomMatrix(f, 4, f.blockSize(), 6);
        GgufMatrix p = w.permuteRows(new int[] {2, 0, 3, 1});
        float[] a = new float[f.blockSize()];
        float[] b = new float[f.blockSize()];
        w.dequantizeRow(2, a, 0);
        p.dequantizeRow(0, b, 0);
        assertArrayEquals(a, b);
        w.dequantizeRow(1, a, 0);
        p.dequantizeRow(3, b, 0);
        assertArrayEquals(a, b);
    }

    @ParameterizedTest
    @MethodSource("formats")
    void aNonFiniteScaleIsFoundWithoutExpanding(BlockFormat f) {
        GgufMatrix w = randomMatrix(f, 3, f.blockSize() * 2, 8);
        assertEquals(-1, w.firstNonFiniteBlockValue());
        for (int off : f.halfFieldOffsets()) {
            GgufMatrix bad = new GgufMatrix(f, 3, f.blockSize() * 2, w.data().clone());
            int block = 4;
            bad.data()[block * f.typeSize() + off] = 0x00;
            bad.data()[block * f.typeSize() + off + 1] = (byte) 0xFE; // fp16 NaN
            assertEquals(block * f.blockSize(), bad.firstNonFiniteBlockValue(), f.typeName() + " field " + off);
            float[] values = bad.dequantize();
            boolean nonFinite = false;
            for (int i = block * f.blockSize(); i < (block + 1) * f.blockSize(); i++) {
                nonFinite |= !Float.isFinite(values[i]);
            }
            assertTrue(nonFinite, f.typeName() + ": the field at " + off + " is a scale the values depend on");
        }
    }

    @Test
    void aMatrixOfTheWrongSizeIsRefused() {
        BlockFormat f = BlockFormats.all().get(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GgufMatrix(f, 2, f.blockSize(), new byte[f.typeSize()]));
        assertTrue(e.getMessage().contains(f.typeName()), e.getMessage());
    }
}
