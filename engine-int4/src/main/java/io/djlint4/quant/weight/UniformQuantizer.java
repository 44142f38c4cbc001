package io.djlint4.quant.weight;

/**
 * A uniform integer quantizer of {@code bits} bits, symmetric (codes {@code [-2^(b-1),
 * 2^(b-1)-1]}, zero point 0) or asymmetric (codes {@code [0, 2^b - 1]} with an integer zero point).
 * The fitted range always contains 0, so 0 is exactly representable. Rounding is half-to-even,
 * matching PyTorch's {@code round}.
 */
public final class UniformQuantizer {

    /** Weight ranges are clamped to at least this, as the reference code does. */
    private static final float MIN_RANGE = 1e-5f;

    private final int bits;
    private final boolean symmetric;
    private final int qmax;
    private final int minCode;

    /**
     * Creates a quantizer.
     *
     * @param bits the bit width, 2 to 8
     * @param symmetric whether the grid is symmetric around zero
     */
    public UniformQuantizer(int bits, boolean symmetric) {
        if (bits < 2 || bits > 8) {
            throw new IllegalArgumentException("bits must be in [2, 8], got " + bits);
        }
        this.bits = bits;
        this.symmetric = symmetric;
        this.qmax = symmetric ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
        this.minCode = symmetric ? -qmax - 1 : 0;
    }

    /**
     * Returns the bit width.
     *
     * @return the number of bits
     */
    public int bits() {
        return bits;
    }

    /**
     * Returns whether the grid is symmetric.
     *
     * @return {@code true} for codes centred on zero
     */
    public boolean symmetric() {
        return symmetric;
    }

    /**
     * Returns the smallest code.
     *
     * @return {@code -2^(b-1)} or 0
     */
    public int minCode() {
        return minCode;
    }

    /**
     * Returns the largest code.
     *
     * @return {@code 2^(b-1)-1} or {@code 2^b-1}
     */
    public int maxCode() {
        return qmax;
    }

    /**
     * Fits scale and zero point to {@code n} values, with the range shrunk by {@code clip}.
     *
     * @param x the values
     * @param off offset of the first value
     * @param stride distance between consecutive values
     * @param n the number of values
     * @param clip the range multiplier, in (0, 1]
     * @return the parameters
     */
    public QuantParams fit(float[] x, int off, int stride, int n, float clip) {
        float lo = 0f;
        float hi = 0f;
        for (int i = 0; i < n; i++) {
            float v = x[off + i * stride];
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return fitRange(lo * clip, hi * clip);
    }

    /**
     * Fits scale and zero point to a range that contains zero.
     *
     * @param lo the lower end, at most 0
     * @param hi the upper end, at least 0
     * @return the parameters
     */
    public QuantParams fitRange(float lo, float hi) {
        if (symmetric) {
            float amax = Math.max(Math.max(-lo, hi), MIN_RANGE);
            return new QuantParams(amax / qmax, 0);
        }
        float range = Math.max(hi - lo, MIN_RANGE);
        float scale = range / qmax;
        return new QuantParams(scale, (int) Math.rint(-lo / scale));
    }

    /**
     * Quantizes one value.
     *
     * @param v the value
     * @param p the parameters
     * @return the code
     */
    public int quantize(float v, QuantParams p) {
        double q = Math.rint(v / p.scale()) + p.zero();
        return (int) Math.max(minCode, Math.min(qmax, q));
    }

    /**
     * Returns the value a code stands for.
     *
     * @param code the code
     * @param p the parameters
     * @return {@code (code - zero) * scale}
     */
    public float dequantize(int code, QuantParams p) {
        return (code - p.zero()) * p.scale();
    }

    /**
     * Quantizes and dequantizes one value.
     *
     * @param v the value
     * @param p the parameters
     * @return the nearest representable value
     */
    public float roundTrip(float v, QuantParams p) {
        return dequantize(quantize(v, p), p);
    }
}
