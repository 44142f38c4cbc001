package io.djlint4.kernels;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Fp4MatmulTest {

    private static int[] shifts(Random rnd, int cols, Fp4Format f) {
        int[] k = new int[cols];
        for (int j = 0; j < cols; j++) {
            k[j] = rnd.nextInt(1 << f.exponentBits());
        }
        return k;
    }

    @ParameterizedTest
    @CsvSource({"1, 37, 67, E2M1", "2, 64, 256, E3M0", "7, 33, 130, E1M2", "13, 40, 300, E2M1"})
    void floatActivationsMatchDequantizedProduct(int rows, int out, int in, Fp4Format format) {
        Random rnd = new Random(rows * 7L + out + in);
        float[] x = TestArrays.gaussian(rnd, rows * in);
        float[] bias = TestArrays.gaussian(rnd, out);
        PackedFp4Matrix w =
                PackedFp4Matrix.quantize(
                        TestArrays.gaussian(rnd, out * in), out, in, format, null, shifts(rnd, in, format),
                        NibbleTiles.DEFAULT_WIDTH);
        float[] fast = new float[rows * out];
        float[] scalar = new float[rows * out];
        Fp4Matmul.matmul(x, rows, w, bias, fast);
        Fp4Matmul.matmulScalar(x, rows, w, bias, scalar);
        float[] dense = w.dequantize();
        TestArrays.assertProduct(x, rows, dense, bias, out, in, fast, "fast");
        TestArrays.assertProduct(x, rows, dense, bias, out, in, scalar, "scalar");
    }

    @ParameterizedTest
    @CsvSource({"1, 37, 67, E2M1", "3, 64, 256, E1M2", "7, 33, 130, E3M0", "16, 48, 96, E2M1"})
    void fp4ActivationsMatchDequantizedProduct(int rows, int out, int in, Fp4Format format) {
        Random rnd = new Random(rows * 11L + out + in);
        int[] k = shifts(rnd, in, format);
        float[] x = TestArrays.gaussian(rnd, rows * in);
        PackedFp4Matrix w =
                PackedFp4Matrix.quantize(
                        TestArrays.gaussian(rnd, out * in), out, in, format, null, k, NibbleTiles.DEFAULT_WIDTH);
        Fp4Tokens a = new Fp4Tokens(rows, in, format);
        a.quantize(x, rows, 0.3f, k);
        float[] fast = new float[rows * out];
        float[] scalar = new float[rows * out];
        Fp4Matmul.matmul(a, w, null, fast);
        Fp4Matmul.matmulScalar(a, w, null, scalar);
        float[] dense = w.dequantize();
        float[] xq = a.dequantize();
        TestArrays.assertProduct(xq, rows, dense, null, out, in, fast, "fast");
        TestArrays.assertProduct(xq, rows, dense, null, out, in, scalar, "scalar");
    }
}
