package io.djlint4.quant.weight;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.kernels.PackedInt4Matrix;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DoubleQuantizerTest {

    private static final int ROWS = 24;
    private static final int COLS = 576;

    /**
     * Weights that sit on a Q4_1 grid (a float minimum and step per 32), as a dequantized Q4_1 file
     * has them (codes 0 and 15 in every block); steps within a factor 3 along a row, as SmolLM2's mostly are.
     */
    private static float[] onQ41Grid(Random rnd) {
        float[] w = new float[ROWS * COLS];
        for (int r = 0; r < ROWS; r++) {
            for (int g = 0; g < COLS / 32; g++) {
                float step = 0.006f + rnd.nextFloat() * 0.012f;
                float min = -step * (4 + rnd.nextFloat() * 8);
                for (int c = g * 32; c < g * 32 + 32; c++) {
                    // Q4_1 fits a block's own range, so its first and last codes occur in every block
                    int code = c == g * 32 ? 0 : c == g * 32 + 1 ? 15 : rnd.nextInt(16);
                    w[r * COLS + c] = min + step * code;
                }
            }
        }
        return w;
    }

    private static double squaredError(float[] a, float[] b) {
        double e = 0;
        for (int i = 0; i < a.length; i++) {
            e += (a[i] - b[i]) * (double) (a[i] - b[i]);
        }
        return e;
    }

    @Test
    void recoversAQ41GridFarBetterThanIntegerZeroPoints() {
        float[] w = onQ41Grid(new Random(1));
        DoubleQuantizedWeights dq = new DoubleQuantizer(4, 32).quantize(w, ROWS, COLS);
        QuantizedWeights integer = new RtnQuantizer(new UniformQuantizer(4, false), 32, false).quantize(w, ROWS, COLS);
        double dqError = squaredError(dq.dequantize(), w);
        double integerError = squaredError(integer.dequantize(), w);
        assertTrue(dqError < 0.05 * integerError, dqError + " vs " + integerError);
    }

    /**
     * On float-trained-like weights the coded grid beats the plain range fit of each group (Q4_1's)
     * in spite of its coding, and by more on long groups, whose ranges the search shrinks.
     */
    @ParameterizedTest
    @CsvSource({"32, 1.0", "128, 0.9"})
    void onGaussianWeightsItBeatsTheUncodedRangeFit(int group, double ratio) {
        Random rnd = new Random(2);
        float[] w = new float[ROWS * COLS];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian() * 0.05f;
        }
        DoubleQuantizedWeights dq = new DoubleQuantizer(4, group).quantize(w, ROWS, COLS);
        double uncoded = 0;
        for (int g = 0; g < w.length / group; g++) {
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (int i = g * group; i < g * group + group; i++) {
                lo = Math.min(lo, w[i]);
                hi = Math.max(hi, w[i]);
            }
            float step = (hi - lo) / 15;
            for (int i = g * group; i < g * group + group; i++) {
                double d = lo + step * Math.rint((w[i] - lo) / step) - w[i];
                uncoded += d * d;
            }
        }
        double coded = squaredError(dq.dequantize(), w);
        assertTrue(coded < ratio * uncoded, coded + " vs " + uncoded);
    }

    @Test
    void codesStepsAndMinimumsStayInTheirRangesAndBitsAreCounted() {
        DoubleQuantizedWeights dq = new DoubleQuantizer(3, 64).quantize(onQ41Grid(new Random(3)), ROWS, COLS);
        for (byte c : dq.codes()) {
            assertTrue(c >= 0 && c <= 7, "code " + c);
        }
        for (int i = 0; i < dq.stepCodes().length; i++) {
            assertTrue(dq.stepCodes()[i] >= 1 && dq.stepCodes()[i] <= 63);
            assertTrue(Math.abs(dq.minCodes()[i]) <= 127);
        }
        for (int r = 0; r < ROWS; r++) {
            assertEquals(0, Float.floatToRawIntBits(dq.stepMax()[r]) & 0xFFFF, "bfloat16 row maximum");
        }
        assertEquals((long) ROWS * COLS * 3 + (long) ROWS * (COLS / 64) * 14 + ROWS * 32L, dq.storedBits());
    }

    @Test
    void constantAndZeroRowsDecodeExactly() {
        float[] w = new float[2 * 64];
        java.util.Arrays.fill(w, 64, 128, -0.25f);
        DoubleQuantizedWeights dq = new DoubleQuantizer(4, 32).quantize(w, 2, 64);
        assertArrayEquals(w, dq.dequantize(), 1e-7f);
    }

    @Test
    void thePackedMatrixDecodesTheSameFloats() {
        DoubleQuantizedWeights dq = new DoubleQuantizer(4, 32).quantize(onQ41Grid(new Random(4)), ROWS, COLS);
        PackedInt4Matrix packed = PackedInt4Matrix.fromFractionalZeros(
                dq.codes(), dq.scales(), dq.zeroPoints(), ROWS, COLS, 32);
        assertArrayEquals(dq.dequantize(), packed.dequantize());
    }

    @Test
    void damagedCodesAreRefusedNamingWhatIsWrong() {
        DoubleQuantizedWeights ok = new DoubleQuantizer(4, 32).quantize(onQ41Grid(new Random(5)), ROWS, COLS);
        byte[] steps = ok.stepCodes().clone();
        steps[7] = 0;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DoubleQuantizedWeights(
                ROWS, COLS, 32, 4, ok.codes(), steps, ok.minCodes(), ok.stepMax(), ok.minMax()));
        assertTrue(e.getMessage().contains("group 7"), e.getMessage());
        float[] stepMax = ok.stepMax().clone();
        stepMax[2] = Float.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> new DoubleQuantizedWeights(
                ROWS, COLS, 32, 4, ok.codes(), ok.stepCodes(), ok.minCodes(), stepMax, ok.minMax()));
        assertTrue(e.getMessage().contains("row 2"), e.getMessage());
        byte[] codes = ok.codes().clone();
        codes[5] = 16;
        e = assertThrows(IllegalArgumentException.class, () -> new DoubleQuantizedWeights(
                ROWS, COLS, 32, 4, codes, ok.stepCodes(), ok.minCodes(), ok.stepMax(), ok.minMax()));
        assertTrue(e.getMessage().contains("code 16 at 5"), e.getMessage());
    }
}
