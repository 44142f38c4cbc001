package io.djlint4.quant.weight;

/**
 * A fast {@code a^2.4} for non-negative floats with a proven relative error below {@link
 * #RELATIVE_ERROR}: {@code a = m·2^k} with {@code m ∈ [1, 2)}, {@code 2^(2.4k)} from a table per
 * exponent and {@code m^2.4} interpolated linearly in a table of 4096 segments (the second
 * derivative of {@code m^2.4} is below 4.5 on {@code [1, 2)}, so the interpolation error is below
 * {@code 4.5·(2^-12)²/8 ≈ 3.4e-8} relative). {@link ClipSearch} screens its candidates with it and
 * evaluates only the near-best ones with {@link Math#pow}, which costs about ten times more.
 */
final class ErrorPower {

    /** Bound on {@code |approx(a) / a^2.4 − 1|} for every finite {@code a ≥ 0}. */
    static final double RELATIVE_ERROR = 1e-7;

    private static final double EXPONENT = 2.4;
    private static final int SEGMENT_BITS = 12;
    private static final int SEGMENTS = 1 << SEGMENT_BITS;
    private static final int LOW_BITS = 23 - SEGMENT_BITS;
    private static final double[] MANTISSA = new double[SEGMENTS + 1];
    /** {@code 2^(2.4·(e − 127))} for every biased float exponent {@code e} of a normal float. */
    private static final double[] POWER_OF_TWO = new double[255];

    static {
        for (int i = 0; i <= SEGMENTS; i++) {
            MANTISSA[i] = Math.pow(1 + (double) i / SEGMENTS, EXPONENT);
        }
        for (int e = 1; e < 255; e++) {
            POWER_OF_TWO[e] = Math.pow(2, EXPONENT * (e - 127));
        }
    }

    private ErrorPower() {}

    /**
     * Approximates {@code a^2.4}.
     *
     * @param a a finite value, at least 0
     * @return {@code a^2.4} within {@link #RELATIVE_ERROR}
     */
    static double approx(float a) {
        int bits = Float.floatToRawIntBits(a);
        int biased = bits >>> 23;
        if (biased == 0 || biased == 255) {
            // Zero, subnormals (and non-finite values) are rare: take the exact power.
            return Math.pow(a, EXPONENT);
        }
        int mantissa = bits & 0x7FFFFF;
        int segment = mantissa >>> LOW_BITS;
        double t = (mantissa & ((1 << LOW_BITS) - 1)) * (1.0 / (1 << LOW_BITS));
        double m = MANTISSA[segment] + t * (MANTISSA[segment + 1] - MANTISSA[segment]);
        return m * POWER_OF_TWO[biased];
    }

    /**
     * Computes {@code a^2.4} exactly as {@link Math#pow} does.
     *
     * @param a the value
     * @return {@code Math.pow(a, 2.4)}
     */
    static double exact(float a) {
        return Math.pow(a, EXPONENT);
    }
}
