package io.djlint4.quant.packed;

/**
 * How a packed projection treats its input: kept in float (weight-only recipes), quantized per
 * token or per group of a token's channels ({@code ag32} …), or runtime smoothed and then quantized
 * per token (RS/RRS); codes symmetric or with a zero point per grid (recipe token {@code asym}).
 *
 * @param bits the activation code width, 2 to 8, or 16 for float inputs
 * @param clip the per-token clip ratio, in (0, 1]
 * @param smoothGroup sorted channels per Runtime Smooth group, or 0 without smoothing
 * @param symmetric whether per-token codes are symmetric; {@code true} for float inputs
 * @param tokenGroup channels of a token per grid, or 0 for one grid per token
 */
public record InputQuantization(int bits, float clip, int smoothGroup, boolean symmetric, int tokenGroup) {

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
        if (tokenGroup < 0 || (tokenGroup > 0 && (bits == 16 || smoothGroup > 0))) {
            throw new IllegalArgumentException("activation group " + tokenGroup
                    + " needs quantized, unsmoothed inputs and must be >= 0");
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
        this(bits, clip, smoothGroup, true, 0);
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
        return new InputQuantization(bits, clip, smoothGroup, symmetricCodes, tokenGroup);
    }

    /**
     * Returns this treatment with a grid per group of a token's channels.
     *
     * @param channels channels per grid, or 0 for one grid per token
     * @return the treatment
     * @throws IllegalArgumentException for float or smoothed inputs
     */
    public InputQuantization withTokenGroup(int channels) {
        return new InputQuantization(bits, clip, smoothGroup, symmetric, channels);
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
