package io.djlint4.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PackedInt4MatrixTest {

    @ParameterizedTest
    @CsvSource({"1, 1, 0, true, 16", "5, 9, 8, false, 4", "17, 67, 32, true, 16", "33, 130, 64, false, 32"})
    void packThenUnpackIsIdentityOnCodesScalesAndZeros(
            int rows, int cols, int group, boolean symmetric, int width) {
        Random rnd = new Random(rows * 7L + cols);
        int groups = group <= 0 ? 1 : (cols + group - 1) / group;
        byte[] codes = new byte[rows * cols];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = (byte) (rnd.nextInt(16) - (symmetric ? 8 : 0));
        }
        float[] scales = TestArrays.gaussian(rnd, rows * groups);
        byte[] zeros = null;
        if (!symmetric) {
            zeros = new byte[rows * groups];
            for (int i = 0; i < zeros.length; i++) {
                zeros[i] = (byte) rnd.nextInt(16);
            }
        }
        PackedInt4Matrix m = PackedInt4Matrix.fromCodes(codes, scales, zeros, rows, cols, group, width);
        assertArrayEquals(codes, m.codes());
        assertArrayEquals(scales, m.scales());
        assertArrayEquals(zeros, m.zeroPoints());
        float[] dense = m.dequantize();
        int g = m.groupSize();
        for (int o = 0; o < rows; o++) {
            for (int k = 0; k < cols; k++) {
                int z = zeros == null ? 0 : zeros[o * groups + k / g];
                assertEquals((codes[o * cols + k] - z) * scales[o * groups + k / g], dense[o * cols + k]);
            }
        }
    }

    @Test
    void everyCodeSurvivesEveryNibblePosition() {
        for (boolean symmetric : new boolean[] {true, false}) {
            byte[] codes = new byte[16 * 16];
            for (int i = 0; i < codes.length; i++) {
                codes[i] = (byte) ((i / 16 + i) % 16 - (symmetric ? 8 : 0));
            }
            PackedInt4Matrix m =
                    PackedInt4Matrix.fromCodes(
                            codes, new float[16], symmetric ? null : new byte[16], 16, 16, 0, 16);
            assertArrayEquals(codes, m.codes());
        }
    }

    @ParameterizedTest
    @CsvSource({"true, 0", "true, 32", "false, 64", "false, 0"})
    void roundToNearestErrorIsWithinHalfAStep(boolean symmetric, int group) {
        Random rnd = new Random(3);
        int rows = 9;
        int cols = 200;
        float[] w = TestArrays.gaussian(rnd, rows * cols);
        PackedInt4Matrix m = PackedInt4Matrix.quantize(w, rows, cols, group, symmetric);
        float[] dense = m.dequantize();
        for (int o = 0; o < rows; o++) {
            for (int k = 0; k < cols; k++) {
                int code = m.code(o, k);
                assertTrue(symmetric ? code >= -8 && code <= 7 : code >= 0 && code <= 15);
                float s = m.scale(o, k / m.groupSize());
                assertEquals(w[o * cols + k], dense[o * cols + k], s / 2 * 1.0001f, "o=" + o + " k=" + k);
            }
        }
    }

    @Test
    void symmetricRowMaximumIsExact() {
        float[] w = {0.5f, -1.25f, 3.5f, 0f};
        PackedInt4Matrix m = PackedInt4Matrix.quantize(w, 1, 4, 0, true);
        assertEquals(7, m.code(0, 2));
        assertEquals(3.5f, m.dequantize()[2], Math.ulp(3.5f));
    }

    @Test
    void rejectsCodesOutsideTheRangeAndBadGroups() {
        assertThrows(
                IllegalArgumentException.class,
                () -> PackedInt4Matrix.fromCodes(new byte[] {8}, new float[] {1}, null, 1, 1, 0));
        assertThrows(
                IllegalArgumentException.class,
                () -> PackedInt4Matrix.quantize(new float[64], 1, 64, 12, true));
    }

    @ParameterizedTest
    @CsvSource({"64, 40, 32, false", "32, 17, 16, true", "48, 8, 48, false"})
    void perInputChannelPackRoundTripsAndBoundsError(int rows, int cols, int group, boolean symmetric) {
        Random rnd = new Random(rows + cols);
        float[] w = TestArrays.gaussian(rnd, rows * cols);
        PackedInt4PerIcMatrix m = PackedInt4PerIcMatrix.quantize(w, rows, cols, group, symmetric);
        float[] dense = m.dequantize();
        for (int o = 0; o < rows; o++) {
            for (int k = 0; k < cols; k++) {
                assertEquals(w[o * cols + k], dense[o * cols + k], m.scale(o, k) / 2 * 1.0001f);
            }
        }
        byte[] codes = m.codes();
        float[] scales = new float[rows / group * cols];
        byte[] zeros = symmetric ? null : new byte[scales.length];
        for (int g = 0; g < rows / group; g++) {
            for (int k = 0; k < cols; k++) {
                scales[g * cols + k] = m.scale(g * group, k);
                if (!symmetric) {
                    zeros[g * cols + k] = (byte) m.zeroPoint(g * group, k);
                }
            }
        }
        PackedInt4PerIcMatrix copy = PackedInt4PerIcMatrix.fromCodes(codes, scales, zeros, rows, cols, group);
        assertArrayEquals(codes, copy.codes());
        assertArrayEquals(dense, copy.dequantize());
    }

    @Test
    void perInputChannelGroupsIsolateAnOutlierColumn() {
        Random rnd = new Random(11);
        int rows = 64;
        int cols = 64;
        float[] w = TestArrays.gaussian(rnd, rows * cols);
        for (int o = 0; o < rows; o++) {
            w[o * cols + 5] += o % 2 == 0 ? 100 : -100;
        }
        double perIc = mse(w, PackedInt4PerIcMatrix.quantize(w, rows, cols, 32, false).dequantize());
        double perOc = mse(w, PackedInt4Matrix.quantize(w, rows, cols, 32, false).dequantize());
        assertTrue(perIc < perOc, "per-IC " + perIc + " per-OC " + perOc);
    }

    private static double mse(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (double) (a[i] - b[i]);
        }
        return s / a.length;
    }
}
