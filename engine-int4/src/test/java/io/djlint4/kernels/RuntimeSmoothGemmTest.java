package io.djlint4.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuntimeSmoothGemmTest {

    /** Activations with channel-wise outliers, as runtime smoothing expects. */
    private static float[] outlierActivations(Random rnd, int rows, int cols) {
        float[] x = TestArrays.gaussian(rnd, rows * cols);
        for (int c = 0; c < cols; c += 7) {
            for (int t = 0; t < rows; t++) {
                x[t * cols + c] *= 30;
            }
        }
        return x;
    }

    @ParameterizedTest
    @CsvSource({
        "1, 37, 67, true, 128, 4",
        "4, 64, 256, false, 128, 4",
        "7, 33, 300, true, 128, 4",
        "9, 48, 130, true, 128, 4",
        "5, 24, 100, true, 16, 4",
        "3, 24, 90, false, 1, 8",
        "6, 40, 72, true, 32, 3"
    })
    void fastPathEqualsReferenceAndTheFakeQuantProduct(
            int rows, int out, int in, boolean symmetric, int group, int bits) {
        Random rnd = new Random(rows * 100L + out + in);
        float[] x = outlierActivations(rnd, rows, in);
        float[] bias = TestArrays.gaussian(rnd, out);
        PackedInt4Matrix w = PackedInt4Matrix.quantize(TestArrays.gaussian(rnd, out * in), out, in, 0, symmetric);
        RuntimeSmoothing s = new RuntimeSmoothing(rows, in, group, bits);
        s.compute(x, rows, 1f);
        float[] fast = new float[rows * out];
        float[] scalar = new float[rows * out];
        RuntimeSmoothGemm.matmul(s, w, bias, fast);
        RuntimeSmoothGemm.matmulScalar(s, w, bias, scalar);
        assertArrayEquals(scalar, fast);
        TestArrays.assertProduct(s.dequantize(), rows, w.dequantize(), bias, out, in, scalar, "fake-quant");
    }

    @Test
    void rejectsGroupsWhoseIntegerSumsFloatCannotHoldExactly() {
        assertTrue(RuntimeSmoothing.exactGroupSums(4096, 4096, 8));
        assertTrue(!RuntimeSmoothing.exactGroupSums(11008, 11008, 8));
        RuntimeSmoothing wide = new RuntimeSmoothing(1, 11008, 11008, 8);
        wide.compute(new float[11008], 1, 1f);
        PackedInt4Matrix w = PackedInt4Matrix.quantize(new float[4 * 11008], 4, 11008, 0, true);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> RuntimeSmoothGemm.matmul(wide, w, null, new float[4]));
        assertTrue(e.getMessage().contains("smoothing group 11008"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RuntimeSmoothing(1, 64, 0, 4));
    }

    @Test
    void smoothingScalesBoundTheChannelsAndAreConstantPerSortedGroup() {
        Random rnd = new Random(4);
        int rows = 5;
        int cols = 300;
        float[] x = outlierActivations(rnd, rows, cols);
        RuntimeSmoothing s = new RuntimeSmoothing(rows, cols);
        s.compute(x, rows, 1f);
        boolean[] seen = new boolean[cols];
        for (int j = 0; j < cols; j++) {
            int c = s.channelAt(j);
            assertTrue(!seen[c], "order is a permutation");
            seen[c] = true;
            if (j > 0) {
                assertTrue(s.channelMax(s.channelAt(j - 1)) >= s.channelMax(c), "decreasing maxima");
            }
            float group = s.groupScale(j / RuntimeSmoothing.GROUP);
            assertEquals(group, s.channelScale(c));
            assertEquals(s.channelMax(s.channelAt(j / RuntimeSmoothing.GROUP * RuntimeSmoothing.GROUP)), group);
            assertTrue(s.channelScale(c) >= s.channelMax(c));
            for (int t = 0; t < rows; t++) {
                assertTrue(s.channelMax(c) >= Math.abs(x[t * cols + c]));
                assertTrue(Math.abs(x[t * cols + c] / s.channelScale(c)) <= 1f);
            }
        }
    }

    @Test
    void equalChannelMaximaGivePlainPerTokenQuantization() {
        Random rnd = new Random(8);
        int rows = 6;
        int cols = 200;
        int out = 40;
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rnd.nextDouble() * 1.8 - 0.9);
        }
        for (int c = 0; c < cols; c++) {
            x[(c % rows) * cols + c] = c % 2 == 0 ? 1f : -1f;
        }
        RuntimeSmoothing s = new RuntimeSmoothing(rows, cols);
        s.compute(x, rows, 1f);
        QuantizedTokens plain = new QuantizedTokens(rows, cols, 4);
        plain.quantize(x, rows, 1f);
        for (int t = 0; t < rows; t++) {
            assertEquals(plain.scale(t), s.scale(t));
            for (int j = 0; j < cols; j++) {
                assertEquals(plain.code(t, s.channelAt(j)), s.code(t, j));
            }
        }
        PackedInt4Matrix w = PackedInt4Matrix.quantize(TestArrays.gaussian(rnd, out * cols), out, cols, 0, true);
        float[] smooth = new float[rows * out];
        float[] direct = new float[rows * out];
        RuntimeSmoothGemm.matmul(s, w, null, smooth);
        Int4IntegerGemm.matmul(plain, w, null, direct);
        assertArrayEquals(direct, smooth);
    }

    @Test
    void zeroTokenGivesZeroOutputWithoutNaN() {
        RuntimeSmoothing s = new RuntimeSmoothing(1, 64);
        s.compute(new float[64], 1, 1f);
        PackedInt4Matrix w = PackedInt4Matrix.quantize(TestArrays.gaussian(new Random(1), 32 * 64), 32, 64, 0, true);
        float[] y = new float[32];
        RuntimeSmoothGemm.matmul(s, w, null, y);
        assertArrayEquals(new float[32], y);
    }

    @Test
    void rejectsGroupedWeights() {
        RuntimeSmoothing s = new RuntimeSmoothing(1, 64);
        s.compute(new float[64], 1, 1f);
        PackedInt4Matrix w = PackedInt4Matrix.quantize(new float[32 * 64], 32, 64, 32, true);
        assertThrows(IllegalArgumentException.class, () -> RuntimeSmoothGemm.matmul(s, w, null, new float[32]));
    }

    @Test
    void rejectsAsymmetricCodes() {
        RuntimeSmoothing s = new RuntimeSmoothing(1, 64, 16, 4, false);
        s.compute(new float[64], 1, 1f);
        PackedInt4Matrix w = PackedInt4Matrix.quantize(new float[32 * 64], 32, 64, 0, true);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> RuntimeSmoothGemm.matmul(s, w, null, new float[32]));
        assertTrue(e.getMessage().contains("symmetric"), e.getMessage());
    }
}
