package io.djlint4.quant.weight;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.kernels.KernelThreads;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** GPTQ's Hessian and solves give the same bits on one thread as on several. */
class GptqThreadInvarianceTest {

    private static final int THREADS = Math.min(3, KernelThreads.maxThreads());
    private static final int ROWS = 96;
    private static final int COLS = 80;
    private static final int TOKENS = 700;

    private final int saved = KernelThreads.threads();

    @AfterEach
    void restoreThreads() {
        KernelThreads.setThreads(saved);
    }

    @Test
    void hessianIsTheSameOnOneAndSeveralThreads() {
        float[] x = inputs(new Random(1));
        double[] one = onThreads(1, () -> hessian(x));
        double[] several = onThreads(THREADS, () -> hessian(x));
        assertArrayEquals(one, several);
    }

    @Test
    void hessianMatchesTheDoubleSumOfOuterProducts() {
        float[] x = inputs(new Random(2));
        double[] h = hessian(x);
        for (int i = 0; i < COLS; i++) {
            for (int j = 0; j < COLS; j++) {
                double s = 0;
                for (int t = 0; t < TOKENS; t++) {
                    s += (double) x[t * COLS + i] * x[t * COLS + j];
                }
                double expected = 2 * s / TOKENS;
                assertEquals(expected, h[i * COLS + j], 1e-5 * (1 + Math.abs(expected)), "H[" + i + "," + j + "]");
            }
        }
    }

    @ParameterizedTest(name = "group {0}, act-order {1}, clip search {2}")
    @CsvSource({"0,false,false", "16,false,true", "16,true,true", "0,true,false"})
    void perOutputChannelCodesAndGridsAreTheSame(int group, boolean actOrder, boolean clip) {
        Random rnd = new Random(3);
        float[] w = gaussian(rnd, ROWS * COLS);
        double[] h = hessian(inputs(rnd));
        Gptq gptq = new Gptq(new UniformQuantizer(4, false), group, actOrder, clip, 0.01);
        QuantizedWeights one = onThreads(1, () -> gptq.quantize(w, ROWS, COLS, h));
        QuantizedWeights several = onThreads(THREADS, () -> gptq.quantize(w, ROWS, COLS, h));
        assertArrayEquals(one.codes(), several.codes());
        assertArrayEquals(one.scales(), several.scales());
        assertArrayEquals(one.zeros(), several.zeros());
    }

    @Test
    void perInputChannelCodesAndGridsAreTheSame() {
        Random rnd = new Random(4);
        float[] w = gaussian(rnd, ROWS * COLS);
        double[] h = hessian(inputs(rnd));
        Gptq gptq = new Gptq(new UniformQuantizer(4, true), 16, true, true, 0.01);
        PerIcQuantizedWeights one = onThreads(1, () -> gptq.quantizePerInputChannel(w, ROWS, COLS, h));
        PerIcQuantizedWeights several = onThreads(THREADS, () -> gptq.quantizePerInputChannel(w, ROWS, COLS, h));
        assertArrayEquals(one.codes(), several.codes());
        assertArrayEquals(one.scales(), several.scales());
        assertArrayEquals(one.zeros(), several.zeros());
    }

    @Test
    void fixedGridCodesAreTheSameAndFeedBackErrors() {
        Random rnd = new Random(5);
        float[] w = gaussian(rnd, ROWS * COLS);
        double[] h = hessian(inputs(rnd));
        UniformQuantizer q = new UniformQuantizer(4, true);
        Gptq.FixedGrid grid = new Gptq.FixedGrid() {
            @Override
            public int quantize(int row, int col, float value) {
                return q.quantize(value, params(row));
            }

            @Override
            public float dequantize(int row, int col, int code) {
                return q.dequantize(code, params(row));
            }

            private QuantParams params(int row) {
                return new QuantParams(0.3f + 0.01f * row, 0);
            }
        };
        Gptq gptq = new Gptq(q, 0, false, false, 0.01);
        byte[] one = onThreads(1, () -> gptq.quantizeOnFixedGrids(w, ROWS, COLS, h, grid));
        byte[] several = onThreads(THREADS, () -> gptq.quantizeOnFixedGrids(w, ROWS, COLS, h, grid));
        assertArrayEquals(one, several);
        int differ = 0;
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < COLS; c++) {
                differ += one[r * COLS + c] != grid.quantize(r, c, w[r * COLS + c]) ? 1 : 0;
            }
        }
        assertTrue(differ > 0, "error feedback changed no code from plain rounding");
    }

    private static <T> T onThreads(int threads, Supplier<T> work) {
        KernelThreads.setThreads(threads);
        return work.get();
    }

    private static double[] hessian(float[] x) {
        HessianAccumulator acc = new HessianAccumulator(COLS);
        acc.add(x, TOKENS);
        return acc.hessian();
    }

    /** Correlated channels with a few large ones, so the Hessian is far from diagonal. */
    private static float[] inputs(Random rnd) {
        float[] mix = gaussian(rnd, 4 * COLS);
        float[] x = new float[TOKENS * COLS];
        for (int t = 0; t < TOKENS; t++) {
            double[] z = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
            for (int c = 0; c < COLS; c++) {
                double v = 0.2 * rnd.nextGaussian();
                for (int f = 0; f < z.length; f++) {
                    v += z[f] * mix[f * COLS + c];
                }
                x[t * COLS + c] = (float) (c % 17 == 0 ? 8 * v : v);
            }
        }
        return x;
    }

    private static float[] gaussian(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }
}
