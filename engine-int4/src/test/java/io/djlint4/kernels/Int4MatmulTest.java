package io.djlint4.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
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
        assertBothPathsMatchDequantizedProduct(x, rows, w, bias);
    }

    private static void assertBothPathsMatchDequantizedProduct(float[] x, int rows, PackedInt4Matrix w, float[] bias) {
        float[] dense = w.dequantize();
        float[] fast = new float[rows * w.rows()];
        float[] scalar = new float[rows * w.rows()];
        Int4Matmul.matmul(x, rows, w, bias, fast);
        Int4Matmul.matmulScalar(x, rows, w, bias, scalar);
        TestArrays.assertProduct(x, rows, dense, bias, w.rows(), w.cols(), fast, "fast");
        TestArrays.assertProduct(x, rows, dense, bias, w.rows(), w.cols(), scalar, "scalar");
    }

    /** Grids with a float minimum: zero points anywhere, codes 0..15, every product path. */
    @ParameterizedTest
    @CsvSource({
        "1, 37, 67, 0",
        "1, 64, 256, 32",
        "4, 50, 200, 64",
        "7, 33, 130, 32",
        "40, 70, 520, 32",
        "1, 96, 896, 128"
    })
    void fractionalZeroPointsMatchDequantizedProduct(int rows, int out, int in, int group) {
        Random rnd = new Random(out * 17L + in + rows);
        PackedInt4Matrix w = fractional(rnd, out, in, group);
        assertFalse(w.hasIntegerZeroPoints());
        float[] x = TestArrays.gaussian(rnd, rows * in);
        float[] bias = TestArrays.gaussian(rnd, out);
        assertBothPathsMatchDequantizedProduct(x, rows, w, bias);
    }

    @Test
    void asymmetricInputsRefuseFractionalZeroPoints() {
        PackedInt4Matrix w = fractional(new Random(3), 8, 64, 32);
        QuantizedTokens x = new QuantizedTokens(1, 64, 8, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Int4IntegerGemm.matmul(x, w, null, null, new float[8]));
        assertTrue(e.getMessage().contains("fractional weight zero points"), e.getMessage());
        assertThrows(IllegalStateException.class, w::zeroPoints);
        assertThrows(IllegalArgumentException.class, () -> WeightCodeSums.of(w));
    }

    @Test
    void integerZeroPointsPackTheSameEitherWay() {
        Random rnd = new Random(9);
        byte[] codes = codes(rnd, 16 * 64);
        float[] scales = TestArrays.gaussian(rnd, 16 * 2);
        byte[] zeros = new byte[scales.length];
        float[] floatZeros = new float[scales.length];
        for (int i = 0; i < zeros.length; i++) {
            zeros[i] = (byte) rnd.nextInt(16);
            floatZeros[i] = zeros[i];
        }
        PackedInt4Matrix a = PackedInt4Matrix.fromCodes(codes, scales, zeros, 16, 64, 32);
        PackedInt4Matrix b = PackedInt4Matrix.fromFractionalZeros(codes, scales, floatZeros, 16, 64, 32);
        assertArrayEquals(a.dequantize(), b.dequantize());
        assertTrue(b.hasIntegerZeroPoints());
        assertArrayEquals(a.zeroPoints(), b.zeroPoints());
    }

    private static PackedInt4Matrix fractional(Random rnd, int out, int in, int group) {
        int groups = group == 0 ? 1 : (in + group - 1) / group;
        float[] scales = new float[out * groups];
        float[] zeros = new float[out * groups];
        for (int i = 0; i < scales.length; i++) {
            scales[i] = 0.01f + rnd.nextFloat() * 0.1f;
            zeros[i] = rnd.nextFloat() * 20 - 2;
        }
        return PackedInt4Matrix.fromFractionalZeros(codes(rnd, out * in), scales, zeros, out, in, group);
    }

    private static byte[] codes(Random rnd, int n) {
        byte[] c = new byte[n];
        for (int i = 0; i < n; i++) {
            c[i] = (byte) rnd.nextInt(16);
        }
        return c;
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
