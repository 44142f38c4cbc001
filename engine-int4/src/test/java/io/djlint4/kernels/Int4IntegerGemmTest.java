package io.djlint4.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Int4IntegerGemmTest {

    @ParameterizedTest
    @CsvSource({
        "8, 1, 37, 67, 0, true",
        "4, 1, 64, 256, 32, false",
        "8, 2, 50, 200, 64, true",
        "4, 7, 33, 130, 128, false",
        "8, 7, 16, 100, 32, true",
        "4, 13, 70, 520, 0, false",
        "8, 9, 20, 4104, 0, true",
        "8, 1, 20, 4104, 0, false",
        "4, 6, 40, 264, 512, true",
        "8, 16, 96, 896, 128, true"
    })
    void fastPathEqualsInt32ReferenceBitForBitAndMatchesDequantizedProduct(
            int bits, int rows, int out, int in, int group, boolean symmetric) {
        Random rnd = new Random(bits * 1000L + rows * 31 + out + in);
        float[] x = TestArrays.gaussian(rnd, rows * in);
        float[] bias = TestArrays.gaussian(rnd, out);
        PackedInt4Matrix w =
                PackedInt4Matrix.quantize(TestArrays.gaussian(rnd, out * in), out, in, group, symmetric);
        QuantizedTokens q = new QuantizedTokens(rows, in, bits);
        q.quantize(x, rows, 1f);
        float[] fast = new float[rows * out];
        float[] scalar = new float[rows * out];
        Int4IntegerGemm.matmul(q, w, bias, fast);
        Int4IntegerGemm.matmulScalar(q, w, bias, scalar);
        assertArrayEquals(scalar, fast);
        TestArrays.assertProduct(q.dequantize(), rows, w.dequantize(), bias, out, in, scalar, "reference");
    }
}
