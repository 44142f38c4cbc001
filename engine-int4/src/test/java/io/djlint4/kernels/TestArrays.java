package io.djlint4.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

/** Random inputs and a double-precision oracle shared by the kernel tests. */
final class TestArrays {

    private TestArrays() {}

    static float[] gaussian(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }

    /**
     * Asserts {@code actual ≈ x · wᵀ + bias} computed in double, within {@code 1e-5} of the sum of
     * the terms' magnitudes (the rounding a float sum of those terms can accumulate).
     */
    static void assertProduct(
            float[] x, int rows, float[] w, float[] bias, int out, int in, float[] actual, String what) {
        for (int t = 0; t < rows; t++) {
            for (int o = 0; o < out; o++) {
                double expected = bias == null ? 0 : bias[o];
                double magnitude = bias == null ? 0 : Math.abs(bias[o]);
                for (int k = 0; k < in; k++) {
                    double term = (double) x[t * in + k] * w[o * in + k];
                    expected += term;
                    magnitude += Math.abs(term);
                }
                assertEquals(
                        expected,
                        actual[t * out + o],
                        1e-5 * magnitude + 1e-30,
                        what + " t=" + t + " o=" + o);
            }
        }
    }
}
