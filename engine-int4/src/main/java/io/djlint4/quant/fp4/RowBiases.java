package io.djlint4.quant.fp4;

import io.djlint4.kernels.Fp4Format;
import io.djlint4.kernels.KernelThreads;

/** Per-output-row real exponent biases of an FP4 weight matrix (ALGORITHMS.md §5.3). */
final class RowBiases {

    private RowBiases() {}

    /**
     * Returns the bias that puts each row's largest magnitude on the format's largest value.
     *
     * @return {@code β(max_j |w_oj|)} per row; 0 for an all-zero row, whose codes are 0 anyway
     */
    static double[] minMax(Fp4Format format, float[] w, int out, int in) {
        double[] beta = new double[out];
        for (int o = 0; o < out; o++) {
            float a = 0f;
            for (int j = 0; j < in; j++) {
                a = Math.max(a, Math.abs(w[o * in + j]));
            }
            beta[o] = a > 0 ? format.biasForMax(a) : 0;
        }
        return beta;
    }

    /** Returns the float unit {@code 2^(1 − M − β_o)} of each row. */
    static float[] units(Fp4Format format, double[] biases) {
        float[] u = new float[biases.length];
        for (int o = 0; o < u.length; o++) {
            u[o] = (float) format.unit(biases[o]);
        }
        return u;
    }

    /**
     * Quantizes and dequantizes every row with its own bias, into {@code dst}; rows are shared out
     * over the kernel threads, since the search does this once per candidate.
     */
    static void fakeQuantize(Fp4Format format, float[] w, int out, int in, double[] biases, float[] dst) {
        float[] u = units(format, biases);
        KernelThreads.parallelFor(out, FakeQuantizeGrain.rows(in), (from, to) -> {
            for (int o = from; o < to; o++) {
                for (int j = 0; j < in; j++) {
                    dst[o * in + j] = format.quantize(w[o * in + j], u[o]);
                }
            }
        });
    }
}
