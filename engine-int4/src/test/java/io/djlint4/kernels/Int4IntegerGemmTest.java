package io.djlint4.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
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

    /**
     * Asymmetric activation codes, on both the decode (1–2 tokens) and the prefill kernels, with
     * groups inside and beyond a decoded block, per output channel, and symmetric and asymmetric
     * weights: the fast path, which applies the zero points through the weight code sums, equals
     * the reference, which subtracts them code by code, bit for bit.
     */
    @ParameterizedTest
    @CsvSource({
        "8, 1, 37, 67, 0, true",
        "4, 1, 64, 256, 32, false",
        "8, 2, 50, 200, 64, true",
        "4, 2, 33, 264, 0, true",
        "4, 7, 33, 130, 128, false",
        "8, 7, 16, 100, 32, true",
        "4, 13, 70, 520, 0, false",
        "8, 9, 20, 4104, 0, true",
        "4, 6, 40, 264, 512, true",
        "3, 5, 40, 1032, 512, false",
        "8, 16, 96, 896, 128, true"
    })
    void asymmetricActivationsFastPathEqualsInt32ReferenceBitForBit(
            int bits, int rows, int out, int in, int group, boolean symmetric) {
        Random rnd = new Random(bits * 1000L + rows * 31 + out + in + 7);
        float[] x = QuantizedTokensTest.shiftedRows(rnd, rows, in);
        float[] bias = TestArrays.gaussian(rnd, out);
        PackedInt4Matrix w =
                PackedInt4Matrix.quantize(TestArrays.gaussian(rnd, out * in), out, in, group, symmetric);
        QuantizedTokens q = new QuantizedTokens(rows, in, bits, false);
        q.quantize(x, rows, 1f);
        assertFastEqualsReference(q, w, bias);
    }

    /**
     * The extremes of asymmetric 8-bit codes: zero points at both ends of the grid (rows all
     * positive or all negative), codes at both ends, weights at their largest codes.
     */
    @ParameterizedTest
    @CsvSource({"1, 4104, 0", "2, 4104, 0", "3, 4104, 0", "2, 136, 8", "7, 520, 256"})
    void asymmetricCodesStayExactAtTheirExtremes(int rows, int in, int group) {
        int out = 40;
        Random rnd = new Random(in * 13L + rows);
        byte[] codes = new byte[out * in];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = (byte) (rnd.nextInt(8) != 0 ? 7 : -8);
        }
        int groups = group <= 0 ? 1 : (in + group - 1) / group;
        PackedInt4Matrix w = PackedInt4Matrix.fromCodes(codes, TestArrays.gaussian(rnd, out * groups), null, out, in, group);
        float[] x = new float[rows * in];
        for (int t = 0; t < rows; t++) {
            float sign = t % 2 == 0 ? 1f : -1f;
            for (int k = 0; k < in; k++) {
                x[t * in + k] = sign * (k % 5 == 0 ? 0.001f : 1f);
            }
        }
        QuantizedTokens q = new QuantizedTokens(rows, in, 8, false);
        q.quantize(x, rows, 1f);
        assertEquals(-128, q.zeroPoint(0));
        assertEquals(127, q.code(0, 1));
        if (rows > 1) {
            assertEquals(127, q.zeroPoint(1));
            assertEquals(-128, q.code(1, 1));
        }
        assertFastEqualsReference(q, w, null);
    }

    @Test
    void weightCodeSumsAreTheSumsOfCodesMinusZeroPoints() {
        Random rnd = new Random(5);
        int out = 21;
        int in = 48;
        PackedInt4Matrix w = PackedInt4Matrix.quantize(TestArrays.gaussian(rnd, out * in), out, in, 16, false);
        WeightCodeSums sums = WeightCodeSums.of(w);
        assertTrue(sums.belongsTo(w));
        for (int o = 0; o < out; o++) {
            for (int grp = 0; grp < 3; grp++) {
                int expected = 0;
                for (int k = 16 * grp; k < 16 * grp + 16; k++) {
                    expected += w.code(o, k) - w.zeroPoint(o, grp);
                }
                assertEquals(expected, sums.sum(o, grp), "o=" + o + " group " + grp);
            }
        }
    }

    @Test
    void asymmetricCodesWithoutTheWeightsCodeSumsAreRefused() {
        Random rnd = new Random(6);
        PackedInt4Matrix w = PackedInt4Matrix.quantize(TestArrays.gaussian(rnd, 16 * 32), 16, 32, 0, true);
        PackedInt4Matrix other = PackedInt4Matrix.quantize(TestArrays.gaussian(rnd, 16 * 32), 16, 32, 0, true);
        QuantizedTokens q = new QuantizedTokens(1, 32, 4, false);
        q.quantize(TestArrays.gaussian(rnd, 32), 1, 1f);
        float[] y = new float[16];
        assertThrows(IllegalArgumentException.class, () -> Int4IntegerGemm.matmul(q, w, null, y));
        assertThrows(
                IllegalArgumentException.class,
                () -> Int4IntegerGemm.matmul(q, w, WeightCodeSums.of(other), null, y));
    }

    /**
     * Grids with a float minimum (fractional zero points) on the decode and the prefill kernels:
     * the zero terms are subtracted in float, so fast path and reference agree to rounding, and
     * both match the product of what the codes stand for.
     */
    @ParameterizedTest
    @CsvSource({
        "8, 1, 64, 256, 32",
        "8, 2, 50, 200, 64",
        "4, 1, 33, 576, 32",
        "8, 5, 40, 264, 128",
        "8, 40, 70, 520, 32"
    })
    void fractionalZeroPointsMatchTheReferenceAndTheDequantizedProduct(
            int bits, int rows, int out, int in, int group) {
        Random rnd = new Random(bits * 77L + rows + out + in);
        int groups = (in + group - 1) / group;
        byte[] codes = new byte[out * in];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = (byte) rnd.nextInt(16);
        }
        float[] scales = new float[out * groups];
        float[] zeros = new float[out * groups];
        for (int i = 0; i < scales.length; i++) {
            scales[i] = 0.01f + 0.1f * rnd.nextFloat();
            zeros[i] = 20 * rnd.nextFloat() - 2;
        }
        PackedInt4Matrix w = PackedInt4Matrix.fromFractionalZeros(codes, scales, zeros, out, in, group);
        float[] bias = TestArrays.gaussian(rnd, out);
        QuantizedTokens q = new QuantizedTokens(rows, in, bits);
        q.quantize(TestArrays.gaussian(rnd, rows * in), rows, 1f);
        float[] fast = new float[rows * out];
        float[] scalar = new float[rows * out];
        Int4IntegerGemm.matmul(q, w, bias, fast);
        Int4IntegerGemm.matmulScalar(q, w, bias, scalar);
        TestArrays.assertProduct(q.dequantize(), rows, w.dequantize(), bias, out, in, fast, "fast");
        TestArrays.assertProduct(q.dequantize(), rows, w.dequantize(), bias, out, in, scalar, "reference");
    }

    /** The fast path equals the int32 reference bit for bit, which matches the float product. */
    private static void assertFastEqualsReference(QuantizedTokens q, PackedInt4Matrix w, float[] bias) {
        int rows = q.rows();
        float[] fast = new float[rows * w.rows()];
        float[] scalar = new float[rows * w.rows()];
        Int4IntegerGemm.matmul(q, w, WeightCodeSums.of(w), bias, fast);
        Int4IntegerGemm.matmulScalar(q, w, bias, scalar);
        assertArrayEquals(scalar, fast);
        TestArrays.assertProduct(
                q.dequantize(), rows, w.dequantize(), bias, w.rows(), w.cols(), scalar, "reference");
    }
}
