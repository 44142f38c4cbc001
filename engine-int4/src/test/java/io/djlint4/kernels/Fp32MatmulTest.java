package io.djlint4.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Fp32MatmulTest {

    @ParameterizedTest
    @CsvSource({"1,1,1", "1,7,33", "7,5,17", "3,130,257", "16,64,896", "2,1027,64"})
    void matchesDoublePrecisionReference(int rows, int out, int in) {
        Random rnd = new Random(rows * 31L + out * 7L + in);
        float[] x = random(rnd, rows * in);
        float[] w = random(rnd, out * in);
        float[] bias = random(rnd, out);
        float[] fast = new float[rows * out];
        float[] scalar = new float[rows * out];
        Fp32Matmul.matmul(x, rows, w, bias, out, in, fast);
        Fp32Matmul.matmulScalar(x, rows, w, bias, out, in, scalar);
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double expected = bias[o];
                double magnitude = Math.abs(bias[o]);
                for (int i = 0; i < in; i++) {
                    expected += (double) x[r * in + i] * w[o * in + i];
                    magnitude += Math.abs((double) x[r * in + i] * w[o * in + i]);
                }
                double tol = 1e-5 * magnitude + 1e-7;
                assertEquals(expected, fast[r * out + o], tol, "vector r=" + r + " o=" + o);
                assertEquals(expected, scalar[r * out + o], tol, "scalar r=" + r + " o=" + o);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"1,4,8", "2,3,5"})
    void rejectsArraysTooSmallForTheShape(int rows, int out, int in) {
        float[] x = new float[rows * in - 1];
        assertThrows(
                IllegalArgumentException.class,
                () -> Fp32Matmul.matmul(x, rows, new float[out * in], null, out, in, new float[rows * out]));
    }

    private static float[] random(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }
}
