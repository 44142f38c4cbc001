package io.djlint4.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Rows rounded to FP4 on per-channel units: the dispatched kernel against the scalar reference. */
class Fp4RoundingTest {

    @ParameterizedTest
    @EnumSource(Fp4Format.class)
    void kernelEqualsTheScalarReferenceBitForBit(Fp4Format format) {
        Random rnd = new Random(format.ordinal() + 11);
        // A row length that leaves a tail after the vector loop, at an offset.
        int n = 203;
        int off = 5;
        float[] units = new float[n];
        float[] x = new float[off + n];
        for (int j = 0; j < n; j++) {
            units[j] = (float) Math.scalb(1.0 + rnd.nextDouble(), -(j % 9));
            double scale = Math.pow(10, rnd.nextInt(9) - 4);
            x[off + j] = (float) (rnd.nextGaussian() * scale);
        }
        float u0 = units[0];
        float[] special = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
            -Float.MIN_VALUE, Float.MIN_NORMAL, 1e-30f, -1e-30f, Float.MAX_VALUE, -Float.MAX_VALUE,
            0.25f * u0, -0.25f * u0, 0.75f * u0, -0.75f * u0, 2.5f * u0, -2.5f * u0, 5f * u0, 1000f * u0};
        for (int s = 0; s < special.length; s++) {
            x[off + s * 7] = special[s];
            units[s * 7] = u0;
        }
        float[] expected = new float[off + n];
        float[] got = new float[off + n];
        Fp4Rounding.quantizeRowScalar(format, x, off, units, n, expected);
        Fp4Rounding.quantizeRow(format, x, off, units, n, got);
        for (int j = 0; j < n; j++) {
            assertEquals(Float.floatToIntBits(expected[off + j]), Float.floatToIntBits(got[off + j]),
                    format + " x=" + x[off + j] + " unit=" + units[j] + ": " + expected[off + j] + " vs " + got[off + j]);
            assertEquals(Float.floatToIntBits(format.quantize(x[off + j], units[j])), Float.floatToIntBits(expected[off + j]));
        }
    }
}
