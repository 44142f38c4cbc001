package io.djlint4.quant;

import io.djlint4.quant.calib.CalibrationSet;

/**
 * The tunable constants of recipe application, with the values the papers' code uses unless
 * marked otherwise.
 *
 * @param seed the seed of random rotations (QuaRot's default is 0)
 * @param activationClip the per-token clip ratio (1.0 in the RRS and DFRot commands)
 * @param smoothGroup sorted channels per Rotated Runtime Smooth group ({@code rrs}: 128, the
 *     reference's {@code act_scale_g128}); plain {@code rs} smooths each channel on its own, as the
 *     reference's RS baseline does
 * @param weightClipSearch whether weight grids use the clipping search ({@code w_clip})
 * @param weightGroupSize weights per grid of the weight-only recipes ({@code w4a16}, {@code
 *     w3a16}): 128, as in AdaDim; the W·A recipes use one grid per output channel
 * @param gptqDamp GPTQ's dampening relative to the mean Hessian diagonal (0.01)
 * @param calibrationSequences calibration sequences to cut from a text; 128, as in the
 *     papers
 * @param calibrationLength tokens per calibration sequence; 512 (AdaDim's length) where the
 *     rotation papers use 2048, for the same reason
 * @param calibrationSeed the seed of the calibration start positions
 * @param dfrotAlpha DFRot's weight of massive-activation rows (100)
 * @param dfrotIterations DFRot's alternations between quantization targets and Procrustes (100)
 * @param weightBudget the most bits per projection weight a weight-only {@code auto} plan spends
 *     ({@value #DEFAULT_WEIGHT_BUDGET}, Q4_0's size); 0, as headers written before it read, stands
 *     for the default
 */
public record RecipeSettings(
        long seed,
        float activationClip,
        int smoothGroup,
        boolean weightClipSearch,
        int weightGroupSize,
        double gptqDamp,
        int calibrationSequences,
        int calibrationLength,
        long calibrationSeed,
        double dfrotAlpha,
        int dfrotIterations,
        double weightBudget) {

    /** The bits per projection weight a weight-only {@code auto} plan spends unless told otherwise. */
    public static final double DEFAULT_WEIGHT_BUDGET = 4.5;

    /** The defaults. */
    public static final RecipeSettings DEFAULT =
            new RecipeSettings(0, 1f, 128, true, 128, 0.01, 128, 512, 0, 100, 100, DEFAULT_WEIGHT_BUDGET);

    /** Checks the ranges; an unset weight budget (0) becomes the default. */
    public RecipeSettings {
        if (weightBudget == 0) {
            weightBudget = DEFAULT_WEIGHT_BUDGET;
        }
        if (!(weightBudget > 0)) {
            throw new IllegalArgumentException("weight budget (bits per weight) must be positive, got " + weightBudget);
        }
        if (!(activationClip > 0 && activationClip <= 1)) {
            throw new IllegalArgumentException("activationClip (the clip ratio) must be in (0, 1], got " + activationClip);
        }
        if (smoothGroup <= 0) {
            throw new IllegalArgumentException("smoothGroup must be positive, got " + smoothGroup);
        }
        if (weightGroupSize < 0) {
            throw new IllegalArgumentException("weight group size must be >= 0, got " + weightGroupSize);
        }
        if (!(gptqDamp > 0)) {
            throw new IllegalArgumentException("GPTQ dampening must be positive, got " + gptqDamp);
        }
        if (!(dfrotAlpha > 0) || dfrotIterations < 0) {
            throw new IllegalArgumentException(
                    "DFRot needs a positive alpha and iterations >= 0, got " + dfrotAlpha + " and " + dfrotIterations);
        }
        if (calibrationSequences <= 0 || calibrationLength <= 0) {
            throw new IllegalArgumentException(
                    "calibration needs a positive count and length, got "
                            + calibrationSequences + " x " + calibrationLength);
        }
    }

    /**
     * Creates settings with the default weight group, dampening and calibration size.
     *
     * @param seed the seed of random rotations
     * @param activationClip the per-token clip ratio
     * @param smoothGroup channels per Runtime Smooth group
     * @param weightClipSearch whether weight grids use the clipping search
     */
    public RecipeSettings(long seed, float activationClip, int smoothGroup, boolean weightClipSearch) {
        this(seed, activationClip, smoothGroup, weightClipSearch, 128, 0.01, 128, 512, 0, 100, 100,
                DEFAULT_WEIGHT_BUDGET);
    }

    /**
     * Cuts the calibration set these settings describe from a tokenized text.
     *
     * @param tokens the tokenized calibration text
     * @return {@link #calibrationSequences} sequences of {@link #calibrationLength} tokens (shorter
     *     when the text is)
     */
    public CalibrationSet calibrationSet(long[] tokens) {
        return CalibrationSet.sample(
                tokens, calibrationSequences, Math.min(calibrationLength, tokens.length), calibrationSeed);
    }

    /**
     * Returns these settings with another number of DFRot alternations.
     *
     * @param iterations the alternations
     * @return the new settings
     */
    public RecipeSettings withDfrotIterations(int iterations) {
        return new RecipeSettings(
                seed, activationClip, smoothGroup, weightClipSearch, weightGroupSize, gptqDamp,
                calibrationSequences, calibrationLength, calibrationSeed, dfrotAlpha, iterations, weightBudget);
    }

    /**
     * Returns these settings with another calibration size.
     *
     * @param sequences the number of calibration sequences
     * @param length tokens per sequence
     * @return the new settings
     * @throws IllegalArgumentException when either is not positive
     */
    public RecipeSettings withCalibrationSize(int sequences, int length) {
        return new RecipeSettings(
                seed, activationClip, smoothGroup, weightClipSearch, weightGroupSize, gptqDamp,
                sequences, length, calibrationSeed, dfrotAlpha, dfrotIterations, weightBudget);
    }

    /**
     * Returns these settings with another weight budget.
     *
     * @param bitsPerWeight the most bits per projection weight a weight-only {@code auto} plan spends
     * @return the new settings
     * @throws IllegalArgumentException when it is not positive
     */
    public RecipeSettings withWeightBudget(double bitsPerWeight) {
        if (!(bitsPerWeight > 0)) {
            throw new IllegalArgumentException(
                    "weight budget (bits per weight) must be positive, got " + bitsPerWeight);
        }
        return new RecipeSettings(seed, activationClip, smoothGroup, weightClipSearch, weightGroupSize, gptqDamp,
                calibrationSequences, calibrationLength, calibrationSeed, dfrotAlpha, dfrotIterations, bitsPerWeight);
    }
}
