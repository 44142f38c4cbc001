package io.djlint4.quant.packed;

/**
 * How a packed projection treats its input: kept in float (weight-only recipes), quantized per
 * token, or runtime smoothed and then quantized per token (RS/RRS); per-token codes symmetric or
 * with a zero point per token (recipe token {@code asym}).
 *
 * @param bits the activation code width, 2 to 8, or 16 for float inputs
 * @param clip the per-token clip ratio, in (0, 1]
 * @param smoothGroup sorted channels per Runtime Smooth group, or 0 without smoothing
 * @param symmetric whether per-token codes are symmetric; {@code true} for float inputs
 */
public record InputQuantization(int bits, float clip, int smoothGroup, boolean symmetric) {

    /** Float inputs: the weight-only products. */
    public static final InputQuantization FULL_PRECISION = new InputQuantization(16, 1f, 0);

    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException when one is out of range
     */
    public InputQuantization {
        if (bits != 16 && (bits < 2 || bits > 8)) {
            throw new IllegalArgumentException("activation bits must be 2..8 or 16, got " + bits);
        }
        if (!(clip > 0f && clip <= 1f)) {
            throw new IllegalArgumentException("clip ratio must be in (0, 1], got " + clip);
        }
        if (smoothGroup < 0 || (smoothGroup > 0 && bits == 16)) {
            throw new IllegalArgumentException(
                    "smoothing group " + smoothGroup + " needs quantized inputs and must be >= 0");
        }
        if (!symmetric && bits == 16) {
            throw new IllegalArgumentException("asymmetric codes need quantized inputs");
        }
    }

    /**
     * Creates a treatment with symmetric per-token codes.
     *
     * @param bits the activation code width, 2 to 8, or 16 for float inputs
     * @param clip the per-token clip ratio, in (0, 1]
     * @param smoothGroup sorted channels per Runtime Smooth group, or 0 without smoothing
     */
    public InputQuantization(int bits, float clip, int smoothGroup) {
        this(bits, clip, smoothGroup, true);
    }

    /**
     * Per-token symmetric quantization.
     *
     * @param bits the code width
     * @param clip the clip ratio
     * @return the treatment
     */
    public static InputQuantization perToken(int bits, float clip) {
        return new InputQuantization(bits, clip, 0);
    }

    /**
     * Runtime smoothing by sorted groups, then per-token quantization.
     *
     * @param bits the code width
     * @param clip the clip ratio
     * @param group sorted channels per group
     * @return the treatment
     */
    public static InputQuantization runtimeSmooth(int bits, float clip, int group) {
        if (group < 1) {
            throw new IllegalArgumentException("smoothing group must be positive, got " + group);
        }
        return new InputQuantization(bits, clip, group);
    }

    /**
     * Returns this treatment with symmetric or asymmetric per-token codes.
     *
     * @param symmetricCodes {@code false} for a zero point per token
     * @return the treatment
     * @throws IllegalArgumentException for asymmetric codes of float inputs
     */
    public InputQuantization withSymmetric(boolean symmetricCodes) {
        return new InputQuantization(bits, clip, smoothGroup, symmetricCodes);
    }

    /**
     * Returns whether inputs stay in float.
     *
     * @return {@code true} for weight-only products
     */
    public boolean fullPrecision() {
        return bits == 16;
    }
}
