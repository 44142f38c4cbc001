package io.djlint4.kernels;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Int4MatmulTest {

    @ParameterizedTest
    @CsvSource({
        "1, 37, 67, 0, true",
        "1, 64, 256, 32, false",
        "2, 50, 200, 64, true",
        "7, 33, 130, 128, false",
        "7, 16, 100, 32, true",
        "3, 70, 520, 0, false",
        "13, 40, 264, 64, true",
        "1, 96, 896, 128, true"
    })
    void perOutputChannelLayoutMatchesDequantizedProduct(
            int rows, int out, int in, int group, boolean symmetric) {
        Random rnd = new Random(out * 31L + in + rows);
        float[] x = TestArrays.gaussian(rnd, rows * in);
        float[] bias = TestArrays.gaussian(rnd, out);
        PackedInt4Matrix w =
                PackedInt4Matrix.quantize(TestArrays.gaussian(rnd, out * in), out, in, group, symmetric);
        float[] dense = w.dequantize();
        float[] fast = new float[rows * out];
        float[] scalar = new float[rows * out];
        Int4Matmul.matmul(x, rows, w, bias, fast);
        Int4Matmul.matmulScalar(x, rows, w, bias, scalar);
        TestArrays.assertProduct(x, rows, dense, bias, out, in, fast, "fast");
        TestArrays.assertProduct(x, rows, dense, bias, out, in, scalar, "scalar");
    }

    @ParameterizedTest
    @CsvSource({
        "1, 64, 67, 32, false",
        "1, 128, 256, 64, true",
        "2, 96, 90, 32, false",
        "7, 256, 130, 128, false",
        "5, 64, 40, 64, true"
    })
    void perInputChannelLayoutMatchesDequantizedProduct(
            int rows, int out, int in, int group, boolean symmetric) {
        Random rnd = new Random(out * 17L + in + rows);
        float[] x = TestArrays.gaussian(rnd, rows * in);
        PackedInt4PerIcMatrix w =
                PackedInt4PerIcMatrix.quantize(TestArrays.gaussian(rnd, out * in), out, in, group, symmetric);
        float[] dense = w.dequantize();
        float[] fast = new float[rows * out];
        float[] scalar = new float[rows * out];
        Int4Matmul.matmul(x, rows, w, null, fast);
        Int4Matmul.matmulScalar(x, rows, w, null, scalar);
        TestArrays.assertProduct(x, rows, dense, null, out, in, fast, "fast");
        TestArrays.assertProduct(x, rows, dense, null, out, in, scalar, "scalar");
    }
}
