package io.djlint4.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Bf16MatmulTest {

    @Test
    void roundsToTheNearestBfloat16TiesToEven() {
        Random rnd = new Random(3);
        for (int i = 0; i < 20000; i++) {
            float v = i < 4 ? new float[] {0f, -0f, 1f, -3.5f}[i] : (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(9) - 4));
            float rounded = Float.intBitsToFloat(Bf16Matrix.toBf16(v) << 16);
            assertEquals(nearestBf16(v), rounded, "rounding " + v);
        }
        // 1 + 2^-8 lies halfway between 1 and 1 + 2^-7: the even neighbour, 1, wins; 1 + 3·2^-8 goes up.
        assertEquals(1f, Float.intBitsToFloat(Bf16Matrix.toBf16(1f + 0x1p-8f) << 16));
        assertEquals(1f + 0x1p-6f, Float.intBitsToFloat(Bf16Matrix.toBf16(1f + 3 * 0x1p-8f) << 16));
        assertTrue(Float.isNaN(Float.intBitsToFloat(Bf16Matrix.toBf16(Float.NaN) << 16)));
    }

    /** The nearer of the two bfloat16 values around {@code v}, by exact double arithmetic. */
    private static float nearestBf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        float down = Float.intBitsToFloat(bits & 0xFFFF0000);
        float up = Float.intBitsToFloat((bits & 0xFFFF0000) + 0x10000);
        double dDown = Math.abs((double) v - down);
        double dUp = Math.abs((double) up - v);
        if (dDown != dUp) {
            return dDown < dUp ? down : up;
        }
        return ((bits >>> 16) & 1) == 0 ? down : up;
    }

    @ParameterizedTest
    @CsvSource({"1, 37, 577", "2, 64, 576", "5, 9, 33", "3, 4, 1", "1, 130, 64"})
    void productMatchesTheScalarReferenceAndTheDoubleOracle(int rows, int out, int in) {
        Random rnd = new Random(rows * 1000L + out + in);
        float[] w = TestArrays.gaussian(rnd, out * in);
        float[] x = TestArrays.gaussian(rnd, rows * in);
        float[] bias = TestArrays.gaussian(rnd, out);
        Bf16Matrix m = Bf16Matrix.round(w, out, in);
        float[] stored = new float[out * in];
        for (int o = 0; o < out; o++) {
            for (int c = 0; c < in; c++) {
                stored[o * in + c] = m.value(o, c);
                assertTrue(Math.abs(stored[o * in + c] - w[o * in + c]) <= 0x1p-8f * Math.abs(w[o * in + c]), "rounding");
            }
        }
        float[] reference = new float[rows * out];
        Bf16Matmul.matmulScalar(x, rows, m, bias, reference);
        TestArrays.assertProduct(x, rows, stored, bias, out, in, reference, "scalar");
        float[] fast = new float[rows * out];
        Bf16Matmul.matmul(x, rows, m, bias, fast);
        TestArrays.assertProduct(x, rows, stored, bias, out, in, fast, "fast");
        float[] noBias = new float[rows * out];
        Bf16Matmul.matmul(x, rows, m, null, noBias);
        TestArrays.assertProduct(x, rows, stored, null, out, in, noBias, "fast, no bias");
    }

    @Test
    void halvesTheBytesOfFloatWeightsAndRejectsAWrongSize() {
        assertEquals(2L * 64 * 576, Bf16Matrix.round(new float[64 * 576], 64, 576).packedBytes());
        assertEquals(4L * 3 * 3, Bf16Matrix.round(new float[3 * 5], 3, 5).packedBytes(), "odd rows end with a zero half");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Bf16Matrix.round(new float[10], 3, 4));
        assertTrue(e.getMessage().contains("3x4"), e.getMessage());
    }
}
