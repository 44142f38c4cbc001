package io.djlint4.kernels;

/**
 * The 4-bit floating-point formats of LLM-FP4 (ALGORITHMS.md §5.1): one sign bit, E exponent bits,
 * M mantissa bits, every exponent code finite, and a real-valued exponent bias β.
 *
 * <p>A code is the nibble {@code sign<<3 | p<<M | f}. Every value of the format is an integer
 * multiple {@code k} of the format's <em>unit</em> {@code 2^(1 − M − β)}: E2M1 has {@code |k| ∈ {0,
 * 1, 2, 3, 4, 6, 8, 12}}, E1M2 {@code 0..7}, E3M0 {@code {0, 1, 2, 4, …, 64}}. So a real bias is a
 * real scale ({@link #unit}) on a fixed integer grid, which is how kernels use it: integer codes
 * times a float scale.
 */
public enum Fp4Format {
    /** Two exponent bits, one mantissa bit: magnitudes {0, 0.5, 1, 1.5, 2, 3, 4, 6} at β = 1. */
    E2M1(2, 1),
    /** Three exponent bits, no mantissa: magnitudes {0, 1, 2, 4, …, 64} at β = 1. */
    E3M0(3, 0),
    /** One exponent bit, two mantissa bits: magnitudes {0, 0.25, …, 1.75} at β = 1. */
    E1M2(1, 2);

    private final int exponentBits;
    private final int mantissaBits;
    private final int[] magnitudes = new int[8];
    /** The code of each representable magnitude {@code k}, so encoding needs no search. */
    private final byte[] codeOfMagnitude;

    Fp4Format(int exponentBits, int mantissaBits) {
        this.exponentBits = exponentBits;
        this.mantissaBits = mantissaBits;
        for (int c = 0; c < 8; c++) {
            int p = c >> mantissaBits;
            int f = c & ((1 << mantissaBits) - 1);
            magnitudes[c] = p == 0 ? f : ((1 << mantissaBits) + f) << (p - 1);
        }
        codeOfMagnitude = new byte[magnitudes[7] + 1];
        for (int c = 0; c < 8; c++) {
            codeOfMagnitude[magnitudes[c]] = (byte) c;
        }
    }

    /**
     * Returns E.
     *
     * @return exponent bits
     */
    public int exponentBits() {
        return exponentBits;
    }

    /**
     * Returns M.
     *
     * @return mantissa bits
     */
    public int mantissaBits() {
        return mantissaBits;
    }

    /**
     * Returns the largest integer multiple of the unit: 12 (E2M1), 64 (E3M0), 7 (E1M2).
     *
     * @return the largest {@code |k|}
     */
    public int maxMagnitude() {
        return magnitudes[7];
    }

    /**
     * Returns the signed integer value {@code k} of a code (the value in units).
     *
     * @param code the nibble, 0..15
     * @return {@code ±k}
     */
    public int integerValue(int code) {
        int k = magnitudes[code & 7];
        return (code & 8) != 0 ? -k : k;
    }

    /**
     * Returns the unit {@code 2^(1 − M − β)} of a real exponent bias.
     *
     * @param bias β
     * @return the value of {@code k = 1}
     */
    public double unit(double bias) {
        return Math.pow(2, 1 - mantissaBits - bias);
    }

    /**
     * Returns the real bias whose largest value is {@code a} (§5.1, the inverse of {@link
     * #maxValue}).
     *
     * @param a the maximum, positive
     * @return β
     */
    public double biasForMax(double a) {
        return (1 << exponentBits) - log2(a) + log2(2 - Math.pow(2, -mantissaBits)) - 1;
    }

    /**
     * Returns the largest representable value {@code (2 − 2^−M)·2^(2^E − 1 − β)}.
     *
     * @param bias β
     * @return the maximum
     */
    public double maxValue(double bias) {
        return (2 - Math.pow(2, -mantissaBits)) * Math.pow(2, (1 << exponentBits) - 1 - bias);
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }

    /**
     * Rounds a value given in units to the nearest code (§5.2: saturate at the maximum, step of the
     * value's binade with the subnormal binade sharing the smallest normal step, ties to even).
     *
     * @param units the value divided by the unit
     * @return the code, 0..15 (negative zero encodes as 0)
     */
    public int encode(float units) {
        int c = codeOfMagnitude[roundedMagnitude(units)];
        return units < 0 && c != 0 ? c | 8 : c;
    }

    /**
     * Quantizes one value: {@code k·unit} for the nearest code.
     *
     * @param x the value
     * @param unit the unit of the bias in use
     * @return the representable value nearest to {@code x}
     */
    public float quantize(float x, float unit) {
        float units = x / unit;
        int k = roundedMagnitude(units);
        return (units < 0 ? -k : k) * unit;
    }

    /**
     * The magnitude {@code k} nearest to {@code |units|}: a multiple of the binade's step, a power
     * of two, so scaling by it is exact and the rounding is one {@code rint}. NaN gives 0.
     */
    private int roundedMagnitude(float units) {
        float a = Math.min(Math.abs(units), magnitudes[7]);
        int stepExponent = Math.max(Math.getExponent(a) - mantissaBits, 0);
        float step = Float.intBitsToFloat((127 + stepExponent) << 23);
        float inverseStep = Float.intBitsToFloat((127 - stepExponent) << 23);
        return (int) (Math.rint(a * inverseStep) * step);
    }
}
