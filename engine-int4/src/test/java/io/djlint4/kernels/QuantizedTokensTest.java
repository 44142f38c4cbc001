package io.djlint4.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.quant.weight.QuantParams;
import io.djlint4.quant.weight.UniformQuantizer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuantizedTokensTest {

    @ParameterizedTest
    @CsvSource({"8, 1, 1.0", "8, 7, 0.9", "4, 3, 1.0", "4, 5, 0.75", "3, 4, 1.0"})
    void vectorAndScalarPathsAgreeAndErrorIsWithinHalfAStep(int bits, int rows, float clip) {
        Random rnd = new Random(bits * 10 + rows);
        int cols = 131;
        float[] x = TestArrays.gaussian(rnd, rows * cols);
        QuantizedTokens fast = new QuantizedTokens(rows, cols, bits);
        QuantizedTokens ref = new QuantizedTokens(rows, cols, bits);
        fast.quantize(x, rows, clip);
        ref.quantizeScalar(x, rows, clip);
        int qmax = (1 << (bits - 1)) - 1;
        float[] deq = ref.dequantize();
        for (int t = 0; t < rows; t++) {
            assertEquals(ref.scale(t), fast.scale(t));
            float s = ref.scale(t);
            for (int k = 0; k < cols; k++) {
                assertEquals(ref.code(t, k), fast.code(t, k), "t=" + t + " k=" + k);
                int c = ref.code(t, k);
                assertTrue(c >= -qmax - 1 && c <= qmax);
                float v = x[t * cols + k];
                if (v >= -(qmax + 1) * s && v <= qmax * s) {
                    assertEquals(v, deq[t * cols + k], s / 2 * 1.0001f);
                } else {
                    assertEquals(v > 0 ? qmax : -qmax - 1, c, "saturates");
                }
            }
        }
    }

    @Test
    void zeroRowGetsTheFloorScaleAndZeroCodes() {
        QuantizedTokens q = new QuantizedTokens(1, 20, 4);
        q.quantize(new float[20], 1, 1f);
        assertEquals(1e-5f / 7, q.scale(0));
        for (int k = 0; k < 20; k++) {
            assertEquals(0, q.code(0, k));
        }
    }

    @Test
    void tinyRowsUseTheSameRangeFloorAsTheWeightQuantizers() {
        float[] x = new float[20];
        x[4] = 2e-6f;
        x[9] = -5e-6f;
        QuantizedTokens q = new QuantizedTokens(1, 20, 8);
        q.quantize(x, 1, 1f);
        UniformQuantizer grid = new UniformQuantizer(8, true);
        QuantParams p = grid.fit(x, 0, 1, 20, 1f);
        assertEquals(p.scale(), q.scale(0));
        for (int k = 0; k < 20; k++) {
            assertEquals(grid.quantize(x[k], p), q.code(0, k), "column " + k);
        }
    }

    @Test
    void largestElementMapsToQmax() {
        float[] x = {0.1f, -0.3f, 2.8f, 1.0f};
        QuantizedTokens q = new QuantizedTokens(1, 4, 4);
        q.quantize(x, 1, 1f);
        assertEquals(7, q.code(0, 2));
        assertEquals(0.4f, q.scale(0), 1e-7f);
    }

    /**
     * Asymmetric codes: the vector path equals the scalar one, and both equal the simulated
     * quantizer ({@link UniformQuantizer}, asymmetric) code for code and value for value, on rows
     * shifted so that zero points range from one end of the grid to the other.
     */
    @ParameterizedTest
    @CsvSource({"8, 1, 1.0", "8, 7, 0.9", "4, 6, 1.0", "4, 5, 0.75", "3, 4, 1.0", "2, 3, 1.0"})
    void asymmetricCodesEqualTheSimulatedQuantizerOnBothPaths(int bits, int rows, float clip) {
        Random rnd = new Random(bits * 100 + rows);
        int cols = 133;
        float[] x = shiftedRows(rnd, rows, cols);
        QuantizedTokens fast = new QuantizedTokens(rows, cols, bits, false);
        QuantizedTokens ref = new QuantizedTokens(rows, cols, bits, false);
        fast.quantize(x, rows, clip);
        ref.quantizeScalar(x, rows, clip);
        UniformQuantizer grid = new UniformQuantizer(bits, false);
        int half = 1 << (bits - 1);
        float[] deq = fast.dequantize();
        for (int t = 0; t < rows; t++) {
            QuantParams p = grid.fit(x, t * cols, 1, cols, clip);
            assertEquals(p.scale(), ref.scale(t), "t=" + t);
            assertEquals(p.scale(), fast.scale(t), "t=" + t);
            assertEquals(p.zero() - half, ref.zeroPoint(t), "t=" + t);
            assertEquals(p.zero() - half, fast.zeroPoint(t), "t=" + t);
            for (int k = 0; k < cols; k++) {
                float v = x[t * cols + k];
                assertEquals(grid.quantize(v, p) - half, ref.code(t, k), "t=" + t + " k=" + k);
                assertEquals(ref.code(t, k), fast.code(t, k), "t=" + t + " k=" + k);
                assertEquals(grid.roundTrip(v, p), deq[t * cols + k], "t=" + t + " k=" + k);
            }
        }
    }

    /** Rows of Gaussian values with offsets from −3 to +3, so some rows are all negative or positive. */
    static float[] shiftedRows(Random rnd, int rows, int cols) {
        float[] x = TestArrays.gaussian(rnd, rows * cols);
        for (int t = 0; t < rows; t++) {
            float offset = rows == 1 ? 1.5f : -3f + 6f * t / (rows - 1);
            for (int k = 0; k < cols; k++) {
                x[t * cols + k] += offset;
            }
        }
        return x;
    }

    @Test
    void asymmetricGridSpansTheRowsRangeAndKeepsZeroExact() {
        float[] x = {0.5f, 2.0f, 1.25f, 0f, 3.5f, 1.0f};
        QuantizedTokens q = new QuantizedTokens(1, x.length, 8, false);
        q.quantize(x, 1, 1f);
        // The range is [0, 3.5]: the zero point is code 0, the maximum code 255 (centred: −128, 127).
        assertEquals(3.5f / 255, q.scale(0));
        assertEquals(-128, q.zeroPoint(0));
        assertEquals(-128, q.code(0, 3));
        assertEquals(127, q.code(0, 4));
        float[] deq = q.dequantize();
        assertEquals(0f, deq[3]);
        for (int k = 0; k < x.length; k++) {
            assertEquals(x[k], deq[k], q.scale(0) / 2);
        }
    }

    @Test
    void allZeroRowIsAllZeroAsymmetricToo() {
        QuantizedTokens q = new QuantizedTokens(1, 12, 4, false);
        q.quantize(new float[12], 1, 1f);
        assertEquals(1e-5f / 15, q.scale(0));
        for (float v : q.dequantize()) {
            assertEquals(0f, v);
        }
    }
}
