package io.djlint4.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
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
        assertFastEqualsReference(q, w, bias);
    }

    /**
     * The decode kernel sums products in 16 bits before widening: codes of −128 (reachable with a
     * clip ratio below 1) times the largest stored nibbles on every column are its worst case.
     */
    @ParameterizedTest
    @CsvSource({
        "1, 4104, 0, true",
        "2, 4104, 0, false",
        "1, 136, 8, true",
        "2, 72, 8, false",
        "1, 67, 0, false"
    })
    void decodeKernelStaysExactAtExtremeCodes(int rows, int in, int group, boolean symmetric) {
        int out = 40;
        Random rnd = new Random(in * 7L + rows);
        byte[] codes = new byte[out * in];
        for (int i = 0; i < codes.length; i++) {
            // Mostly the code stored as nibble 15, some the most negative one.
            boolean high = rnd.nextInt(8) != 0;
            codes[i] = (byte) (symmetric ? (high ? 7 : -8) : (high ? 15 : 0));
        }
        int groups = group <= 0 ? 1 : (in + group - 1) / group;
        float[] scales = TestArrays.gaussian(rnd, out * groups);
        byte[] zeros = null;
        if (!symmetric) {
            zeros = new byte[out * groups];
            for (int i = 0; i < zeros.length; i++) {
                zeros[i] = (byte) rnd.nextInt(16);
            }
        }
        PackedInt4Matrix w = PackedInt4Matrix.fromCodes(codes, scales, zeros, out, in, group);
        float[] x = new float[rows * in];
        Arrays.fill(x, -1f);
        x[0] = 1f;
        QuantizedTokens q = new QuantizedTokens(rows, in, 8);
        q.quantize(x, rows, 0.5f);
        assertEquals(-128, q.code(0, 1));
        assertFastEqualsReference(q, w, null);
    }

    /** The fast path equals the int32 reference bit for bit, which matches the float product. */
    private static void assertFastEqualsReference(QuantizedTokens q, PackedInt4Matrix w, float[] bias) {
        int rows = q.rows();
        float[] fast = new float[rows * w.rows()];
        float[] scalar = new float[rows * w.rows()];
        Int4IntegerGemm.matmul(q, w, bias, fast);
        Int4IntegerGemm.matmulScalar(q, w, bias, scalar);
        assertArrayEquals(scalar, fast);
        TestArrays.assertProduct(
                q.dequantize(), rows, w.dequantize(), bias, w.rows(), w.cols(), scalar, "reference");
    }
}
