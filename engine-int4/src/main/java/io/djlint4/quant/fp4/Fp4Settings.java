package io.djlint4.quant.fp4;

import io.djlint4.kernels.Fp4Format;

/**
 * The constants of the LLM-FP4 calibration search (ALGORITHMS.md §5.5), with the values of the
 * official code unless marked otherwise.
 *
 * @param format the FP4 format of weights and activations (E2M1, the paper's choice and default)
 * @param searchPoints bias candidates per search (100)
 * @param lowMultiplier the smallest multiplier of the min/max-derived bias (0.01)
 * @param highMultiplier the multiplier after the last candidate (1.2): candidate {@code i} is
 *     {@code low + i·(high − low)/searchPoints}, so {@code high} itself is never tried, as in the
 *     code, which builds one value more than it evaluates
 * @param rounds alternations of weight and activation search (3)
 * @param maxSearchTokens [ours] calibration tokens the output MSE is measured on (an even stride
 *     through all of them); per-channel maxima always see every token. The search costs about
 *     {@code 2·rounds·searchPoints·maxSearchTokens} multiply-adds per weight, so 128 keeps it
 *     affordable on a CPU where the paper uses 32×1024 tokens on a GPU
 */
public record Fp4Settings(
        Fp4Format format,
        int searchPoints,
        double lowMultiplier,
        double highMultiplier,
        int rounds,
        int maxSearchTokens) {

    /** The paper's search with E2M1, measured on at most 128 tokens. */
    public static final Fp4Settings DEFAULT = new Fp4Settings(Fp4Format.E2M1, 100, 0.01, 1.2, 3, 128);

    /** Checks the ranges. */
    public Fp4Settings {
        if (format == null) {
            throw new IllegalArgumentException("an FP4 format is required (E2M1, E3M0 or E1M2)");
        }
        if (searchPoints < 1 || rounds < 1 || maxSearchTokens < 1) {
            throw new IllegalArgumentException(
                    "FP4 search needs points, rounds and tokens >= 1, got "
                            + searchPoints + ", " + rounds + ", " + maxSearchTokens);
        }
        if (!(lowMultiplier > 0) || !(highMultiplier > lowMultiplier)) {
            throw new IllegalArgumentException(
                    "FP4 bias multipliers need 0 < low < high, got " + lowMultiplier + " and " + highMultiplier);
        }
    }

    /**
     * Returns the bias multipliers the search evaluates.
     *
     * @return {@code searchPoints} increasing multipliers starting at {@code lowMultiplier}
     */
    public double[] multipliers() {
        double[] c = new double[searchPoints];
        for (int i = 0; i < searchPoints; i++) {
            c[i] = lowMultiplier + i * (highMultiplier - lowMultiplier) / searchPoints;
        }
        return c;
    }

    /**
     * Returns these settings with another format.
     *
     * @param f the format
     * @return the new settings
     */
    public Fp4Settings withFormat(Fp4Format f) {
        return new Fp4Settings(f, searchPoints, lowMultiplier, highMultiplier, rounds, maxSearchTokens);
    }
}
