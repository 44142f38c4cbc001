package io.djlint4.quant.rptq;

import io.djlint4.quant.weight.QuantParams;

/**
 * RPTQ's asymmetric grid with signed codes (§7.4), reproduced with its unusual constants: the step
 * is the range over {@code 2^b} (not {@code 2^b - 1}), the zero point centres the range, so the
 * top of the range lands one step above the largest code and is clamped. Scale and zero point are
 * clamped as the official code does. A constant range (every value equal) is stored as a grid
 * whose step is that value, so it decodes exactly instead of hitting the clamps (§7.6).
 */
public final class ClusterGrid {

    private static final float MIN_SCALE = 1e-4f;
    private static final float MAX_SCALE = 1e4f;
    private static final float MAX_ZERO = 1e4f;

    private final int bits;
    private final int minCode;
    private final int maxCode;

    /**
     * Creates the grid.
     *
     * @param bits the bit width, 2 to 16
     */
    public ClusterGrid(int bits) {
        if (bits < 2 || bits > 16) {
            throw new IllegalArgumentException("bits must be in [2, 16], got " + bits);
        }
        this.bits = bits;
        this.minCode = -(1 << (bits - 1));
        this.maxCode = (1 << (bits - 1)) - 1;
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
     * Returns the smallest code.
     *
     * @return {@code -2^(b-1)}
     */
    public int minCode() {
        return minCode;
    }

    /**
     * Returns the largest code.
     *
     * @return {@code 2^(b-1) - 1}
     */
    public int maxCode() {
        return maxCode;
    }

    /**
     * Fits the grid to a range ({@code fitCluster} of §7.4).
     *
     * @param lo the smallest value
     * @param hi the largest value, at least {@code lo}
     * @return scale and rounded zero point
     */
    public QuantParams fit(float lo, float hi) {
        if (!(lo <= hi) || !Float.isFinite(lo) || !Float.isFinite(hi)) {
            throw new IllegalArgumentException("not a finite range: [" + lo + ", " + hi + "]");
        }
        if (lo == hi) {
            // Codes ±1 (or 0) with step |v| and zero point 0 decode v exactly.
            return new QuantParams(Math.max(Math.abs(lo), MIN_SCALE), 0);
        }
        float scale = clamp((hi - lo) / (1 << bits), MIN_SCALE, MAX_SCALE);
        float zero = clamp(-(hi + lo) / (2 * scale), -MAX_ZERO, MAX_ZERO);
        return new QuantParams(scale, (int) Math.rint(zero));
    }

    /**
     * Quantizes one value.
     *
     * @param v the value
     * @param p the parameters
     * @return {@code clamp(rint(v / s) + z, -2^(b-1), 2^(b-1) - 1)}
     */
    public int quantize(float v, QuantParams p) {
        double q = Math.rint(v / p.scale()) + p.zero();
        return (int) Math.max(minCode, Math.min(maxCode, q));
    }

    /**
     * Returns the value a code stands for.
     *
     * @param code the code
     * @param p the parameters
     * @return {@code (code - z) * s}
     */
    public float dequantize(int code, QuantParams p) {
        return (code - p.zero()) * p.scale();
    }

    /**
     * Quantizes and dequantizes one value.
     *
     * @param v the value
     * @param p the parameters
     * @return the grid value {@code v} is stored as
     */
    public float roundTrip(float v, QuantParams p) {
        return dequantize(quantize(v, p), p);
    }

    private static float clamp(float v, float lo, float hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
