package io.djlint4.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class Fp4FormatTest {

    @Test
    void gridsAtBiasOneAreThoseOfLlmFp4() {
        assertArrayEquals(new float[] {0, 0.5f, 1, 1.5f, 2, 3, 4, 6}, positiveGrid(Fp4Format.E2M1));
        assertArrayEquals(
                new float[] {0, 0.25f, 0.5f, 0.75f, 1, 1.25f, 1.5f, 1.75f}, positiveGrid(Fp4Format.E1M2));
        assertArrayEquals(new float[] {0, 1, 2, 4, 8, 16, 32, 64}, positiveGrid(Fp4Format.E3M0));
    }

    /** Sweeps x over [−70, 70] and collects the distinct non-negative outputs. */
    private static float[] positiveGrid(Fp4Format f) {
        float unit = (float) f.unit(1);
        TreeSet<Float> seen = new TreeSet<>();
        for (int i = -70000; i <= 70000; i++) {
            float q = f.quantize(i / 1000f, unit);
            assertTrue(-q == f.quantize(-i / 1000f, unit), "odd at " + i);
            seen.add(Math.abs(q));
        }
        float[] grid = new float[seen.size()];
        int i = 0;
        for (float v : seen) {
            grid[i++] = v;
        }
        return grid;
    }

    @ParameterizedTest
    @EnumSource(Fp4Format.class)
    void biasForMaxInvertsMaxValueAndTheMaximumIsExact(Fp4Format f) {
        for (double a : new double[] {0.013, 1, 6, 77.5, 1e4}) {
            double bias = f.biasForMax(a);
            assertEquals(a, f.maxValue(bias), 1e-12 * a);
            float unit = (float) f.unit(bias);
            float max = f.maxMagnitude() * unit;
            assertEquals(max, f.quantize(max, unit));
            assertEquals(-max, f.quantize(-max, unit));
            assertEquals(max, f.quantize(10 * max, unit), "saturates");
        }
    }

    @ParameterizedTest
    @EnumSource(Fp4Format.class)
    void quantizerIsIdempotentOddAndMonotone(Fp4Format f) {
        float unit = 0.37f;
        float previous = Float.NEGATIVE_INFINITY;
        for (int i = -3000; i <= 3000; i++) {
            float x = i * 0.011f;
            float q = f.quantize(x, unit);
            assertEquals(q, f.quantize(q, unit), "idempotent at " + x);
            assertTrue(-q == f.quantize(-x, unit), "odd at " + x);
            assertTrue(q >= previous, "monotone at " + x);
            previous = q;
        }
    }

    @ParameterizedTest
    @EnumSource(Fp4Format.class)
    void realBiasIsAScaledIntegerBiasGrid(Fp4Format f) {
        Random rnd = new Random(5);
        double phi = 0.375;
        float realUnit = (float) f.unit(2 + phi);
        float integerUnit = (float) f.unit(2);
        float twoPhi = (float) Math.pow(2, phi);
        for (int i = 0; i < 2000; i++) {
            float x = (float) rnd.nextGaussian() * 4;
            float expected = f.quantize(x * twoPhi, integerUnit) / twoPhi;
            assertEquals(expected, f.quantize(x, realUnit), 1e-6f * Math.abs(expected));
        }
    }

    @ParameterizedTest
    @EnumSource(Fp4Format.class)
    void encodeAndQuantizeMatchTheNearestGridValue(Fp4Format f) {
        Random rnd = new Random(17);
        float[] specials = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1e-30f,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1e30f, -1e30f};
        float[] values = new float[2 * 80 * 64 + 1 + 4000 + specials.length];
        int n = 0;
        for (int i = -80 * 64; i <= 80 * 64; i++) {
            values[n++] = i / 64f; // every midpoint between grid values is a multiple of 1/8
        }
        for (int i = 0; i < 4000; i++) {
            values[n++] = (float) rnd.nextGaussian() * f.maxMagnitude();
        }
        for (float v : specials) {
            values[n++] = v;
        }
        for (float units : values) {
            int expected = referenceEncode(f, units);
            assertEquals(expected, f.encode(units), () -> f + " encodes " + units);
            for (float unit : new float[] {1f, 0.37f, 3.1e-3f}) {
                float x = units * unit;
                float q = f.integerValue(referenceEncode(f, x / unit)) * unit;
                assertEquals(q, f.quantize(x, unit), () -> f + " quantizes " + x + " with unit " + unit);
            }
        }
    }

    /**
     * §5.2 the slow way: the nearest of the eight magnitudes after saturation, a tie going to the
     * value that is an even multiple of the step of the input's binade; NaN encodes as 0.
     */
    private static int referenceEncode(Fp4Format f, float units) {
        if (Float.isNaN(units)) {
            return 0;
        }
        double a = Math.min(Math.abs(units), f.maxMagnitude());
        double step = Math.pow(2, Math.max(Math.getExponent((float) a) - f.mantissaBits(), 0));
        int best = 0;
        for (int c = 1; c < 8; c++) {
            double d = Math.abs(a - f.integerValue(c));
            double bestD = Math.abs(a - f.integerValue(best));
            boolean evenStep = (long) (f.integerValue(c) / step) % 2 == 0;
            if (d < bestD || (d == bestD && evenStep)) {
                best = c;
            }
        }
        return units < 0 && best != 0 ? best | 8 : best;
    }

    @Test
    void integerViewOfE2M1MatchesItsGrid() {
        int[] expected = {0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12};
        for (int c = 0; c < 16; c++) {
            assertEquals(expected[c], Fp4Format.E2M1.integerValue(c));
        }
    }

    @Test
    void packedFp4MatrixRoundTripsCodesAndFoldsChannelShifts() {
        Random rnd = new Random(9);
        int rows = 19;
        int cols = 45;
        float[] w = TestArrays.gaussian(rnd, rows * cols);
        int[] shifts = new int[cols];
        for (int j = 0; j < cols; j++) {
            shifts[j] = rnd.nextInt(4);
        }
        PackedFp4Matrix plain = PackedFp4Matrix.quantize(w, rows, cols, Fp4Format.E2M1);
        float[] units = new float[rows];
        for (int o = 0; o < rows; o++) {
            units[o] = plain.rowUnit(o);
        }
        PackedFp4Matrix shifted =
                PackedFp4Matrix.fromCodes(plain.codes(), units, shifts, rows, cols, Fp4Format.E2M1);
        assertArrayEquals(plain.codes(), shifted.codes());
        float[] a = plain.dequantize();
        float[] b = shifted.dequantize();
        for (int o = 0; o < rows; o++) {
            for (int j = 0; j < cols; j++) {
                assertEquals(a[o * cols + j] * Math.scalb(1f, -shifts[j]), b[o * cols + j]);
                float step = 2 * plain.rowUnit(o) * 2;
                assertEquals(w[o * cols + j], a[o * cols + j], step, "within the coarsest step");
            }
        }
    }

    @Test
    void preShiftedActivationsTimesFoldedWeightsEqualPerChannelBiasQuantization() {
        Random rnd = new Random(21);
        int cols = 33;
        float[] x = TestArrays.gaussian(rnd, cols);
        int[] shifts = new int[cols];
        for (int j = 0; j < cols; j++) {
            shifts[j] = rnd.nextInt(4);
            x[j] = Math.scalb(x[j], -shifts[j]);
        }
        Fp4Tokens tokens = new Fp4Tokens(1, cols, Fp4Format.E2M1);
        float unit = 0.25f;
        tokens.quantize(x, 1, unit, shifts);
        float[] codesTimesUnit = tokens.dequantize();
        for (int j = 0; j < cols; j++) {
            // x̂_j = 2^(−k_j)·Q_ρ(2^(k_j)·x_j): the per-channel bias β_j = ρ + k_j.
            float perChannel = Fp4Format.E2M1.quantize(x[j], unit * Math.scalb(1f, -shifts[j]));
            assertEquals(perChannel, Math.scalb(codesTimesUnit[j], -shifts[j]), 0f);
        }
    }
}
