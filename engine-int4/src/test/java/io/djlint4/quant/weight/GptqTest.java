package io.djlint4.quant.weight;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Oracle 15 of ALGORITHMS.md §10 and the GPTQ building blocks. */
class GptqTest {

    private static final UniformQuantizer INT4 = new UniformQuantizer(4, true);

    @ParameterizedTest
    @CsvSource({"0,false", "16,false", "16,true"})
    void identityHessianReproducesRtn(int group, boolean clip) {
        int rows = 12;
        int cols = 48;
        float[] w = gaussian(new Random(1), rows * cols);
        double[] h = identityHessian(cols);
        QuantizedWeights gptq = new Gptq(INT4, group, false, clip, 0.01).quantize(w, rows, cols, h);
        QuantizedWeights rtn = new RtnQuantizer(INT4, group, clip).quantize(w, rows, cols);
        assertArrayEquals(rtn.codes(), gptq.codes());
        assertArrayEquals(rtn.scales(), gptq.scales());
    }

    @ParameterizedTest
    @CsvSource({"0,false,false", "32,false,false", "0,true,true", "32,true,false"})
    void correlatedInputsGiveLowerOutputErrorThanRtn(int group, boolean actOrder, boolean asym) {
        UniformQuantizer q = new UniformQuantizer(4, !asym);
        int rows = 32;
        int cols = 96;
        int tokens = 512;
        Random rnd = new Random(2);
        float[] w = gaussian(rnd, rows * cols);
        float[] x = correlatedInputs(rnd, tokens, cols);
        HessianAccumulator acc = new HessianAccumulator(cols);
        acc.add(x, tokens / 2);
        acc.add(java.util.Arrays.copyOfRange(x, tokens / 2 * cols, tokens * cols), tokens / 2);
        assertEquals(tokens, acc.rowsSeen());
        QuantizedWeights gptq = new Gptq(q, group, actOrder, true, 0.01).quantize(w, rows, cols, acc.hessian());
        QuantizedWeights rtn = new RtnQuantizer(q, group, true).quantize(w, rows, cols);
        double eGptq = outputMse(x, tokens, w, gptq.dequantize(), rows, cols);
        double eRtn = outputMse(x, tokens, w, rtn.dequantize(), rows, cols);
        assertTrue(eGptq < 0.9 * eRtn, "GPTQ " + eGptq + " vs RTN " + eRtn);
    }

    @Test
    void identityHessianKeepsTheRoundedCodesOfFixedGrids() {
        int rows = 12;
        int cols = 64;
        float[] w = gaussian(new Random(3), rows * cols);
        double[] h = identityHessian(cols);
        DoubleQuantizedWeights grids = new DoubleQuantizer(4, 32).quantize(w, rows, cols);
        DoubleQuantizedWeights gptq =
                new Gptq(new UniformQuantizer(4, false), 32, true, false, 0.01).quantize(w, rows, cols, h, grids);
        assertArrayEquals(grids.codes(), gptq.codes());
        assertArrayEquals(grids.stepCodes(), gptq.stepCodes());
    }

    @ParameterizedTest
    @CsvSource({"false", "true"})
    void correlatedInputsGiveLowerOutputErrorOnFixedGridsThanRounding(boolean actOrder) {
        int rows = 32;
        int cols = 96;
        int tokens = 512;
        Random rnd = new Random(4);
        float[] w = gaussian(rnd, rows * cols);
        float[] x = correlatedInputs(rnd, tokens, cols);
        HessianAccumulator acc = new HessianAccumulator(cols);
        acc.add(x, tokens);
        DoubleQuantizedWeights grids = new DoubleQuantizer(4, 32).quantize(w, rows, cols);
        DoubleQuantizedWeights gptq = new Gptq(new UniformQuantizer(4, false), 32, actOrder, false, 0.01)
                .quantize(w, rows, cols, acc.hessian(), grids);
        double eGptq = outputMse(x, tokens, w, gptq.dequantize(), rows, cols);
        double eRtn = outputMse(x, tokens, w, grids.dequantize(), rows, cols);
        assertTrue(eGptq < 0.9 * eRtn, "GPTQ " + eGptq + " vs rounding " + eRtn);
    }

    @Test
    void deadInputChannelGivesZeroWeightColumn() {
        int rows = 8;
        int cols = 16;
        Random rnd = new Random(3);
        float[] w = gaussian(rnd, rows * cols);
        float[] x = gaussian(rnd, 64 * cols);
        for (int t = 0; t < 64; t++) {
            x[t * cols + 5] = 0;
        }
        HessianAccumulator acc = new HessianAccumulator(cols);
        acc.add(x, 64);
        for (boolean sym : new boolean[] {true, false}) {
            float[] dq =
                    new Gptq(new UniformQuantizer(4, sym), 0, false, false, 0.01)
                            .quantize(w, rows, cols, acc.hessian())
                            .dequantize();
            for (int r = 0; r < rows; r++) {
                assertEquals(0f, dq[r * cols + 5], "row " + r);
            }
        }
    }

    @Test
    void choleskyFactorOfTheInverseInvertsASpdMatrix() {
        int n = 150; // more than one block of the factorization
        Random rnd = new Random(4);
        double[] b = new double[n * n];
        for (int i = 0; i < b.length; i++) {
            b[i] = rnd.nextGaussian();
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = i == j ? 0.5 : 0;
                for (int k = 0; k < n; k++) {
                    s += b[i * n + k] * b[j * n + k];
                }
                a[i * n + j] = s;
            }
        }
        double[] u = CholeskyInverse.upperFactorOfInverse(a, n);
        double[] inv = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double uu = 0;
                for (int m = 0; m < n; m++) {
                    uu += u[m * n + i] * u[m * n + k];
                }
                inv[i * n + k] = uu;
            }
        }
        for (int i = 0; i < n; i++) {
            assertTrue(u[i * n + i] > 0, "U[" + i + "," + i + "]");
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += inv[i * n + k] * a[k * n + j];
                }
                assertEquals(i == j ? 1 : 0, s, 1e-9, "(UᵀU·A)[" + i + "," + j + "]");
                if (j < i) {
                    assertEquals(0, u[i * n + j]);
                }
            }
        }
    }

    @Test
    void notPositiveDefiniteHasNoFactor() {
        double[] a = {1, 2, 2, 1};
        assertNull(CholeskyInverse.upperFactorOfInverse(a, 2));
    }

    private static double outputMse(float[] x, int tokens, float[] w, float[] wq, int rows, int cols) {
        double sum = 0;
        for (int t = 0; t < tokens; t++) {
            for (int r = 0; r < rows; r++) {
                double d = 0;
                for (int c = 0; c < cols; c++) {
                    d += x[t * cols + c] * (double) (w[r * cols + c] - wq[r * cols + c]);
                }
                sum += d * d;
            }
        }
        return sum / (tokens * rows);
    }

    /** Inputs that share a few latent factors, so their channels are strongly correlated. */
    private static float[] correlatedInputs(Random rnd, int tokens, int cols) {
        int factors = 6;
        float[] mix = gaussian(rnd, factors * cols);
        float[] x = new float[tokens * cols];
        for (int t = 0; t < tokens; t++) {
            double[] z = new double[factors];
            for (int f = 0; f < factors; f++) {
                z[f] = rnd.nextGaussian();
            }
            for (int c = 0; c < cols; c++) {
                double v = 0.1 * rnd.nextGaussian();
                for (int f = 0; f < factors; f++) {
                    v += z[f] * mix[f * cols + c];
                }
                x[t * cols + c] = (float) v;
            }
        }
        return x;
    }

    private static double[] identityHessian(int cols) {
        double[] h = new double[cols * cols];
        for (int i = 0; i < cols; i++) {
            h[i * cols + i] = 1;
        }
        return h;
    }

    private static float[] gaussian(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }
}
