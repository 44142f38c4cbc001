package io.djlint4.quant.fp4;

import io.djlint4.kernels.Fp4Format;
import java.util.ArrayList;
import java.util.List;

/**
 * The constants of the LLM-FP4 calibration search (ALGORITHMS.md §5.5), with the values of the
 * official code unless marked otherwise.
 *
 * @param format the initial FP4 format of weights and activations (E2M1, the paper's choice and
 *     default), tried first and kept on ties
 * @param searchPoints bias candidates per search (100)
 * @param lowMultiplier the smallest multiplier of the min/max-derived bias (0.01)
 * @param highMultiplier the multiplier after the last candidate (1.2): candidate {@code i} is
 *     {@code low + i·(high − low)/searchPoints}, so {@code high} itself is never tried, as in the
 *     code, which builds one value more than it evaluates
 * @param rounds alternations of weight and activation search (3)
 * @param maxSearchTokens calibration tokens the output MSE is measured on, {@value #ALL_TOKENS}
 *     for all of them (as the reference measures its loss over every calibration batch); a positive
 *     cap [ours] takes an even stride through them. The default caps at {@value #DEFAULT_SEARCH_TOKENS}:
 *     all tokens lowered stories260K's KL from 0.750 to 0.710 at 7x the time, and at the default
 *     calibration size (128 x 512) on SmolLM2 the activation half would take hours. Per-channel maxima always see
 *     every token. The weight half of a round measures all tokens at a cost independent of their
 *     number (through their second moments); the activation half
 *     costs about {@code searchPoints·tokens·min(in, out)} multiply-adds per layer and round
 * @param formats the formats the search chooses from, per layer and separately for weights and
 *     inputs (E3M0, E2M1, E1M2 in the paper); must contain {@code format}. The search costs {@code
 *     formats.size()} times as much as with one format
 */
public record Fp4Settings(
        Fp4Format format,
        int searchPoints,
        double lowMultiplier,
        double highMultiplier,
        int rounds,
        int maxSearchTokens,
        List<Fp4Format> formats) {

    /** {@link #maxSearchTokens} value that measures the search on every calibration token. */
    public static final int ALL_TOKENS = 0;

    /** The default cap of {@link #maxSearchTokens}. */
    public static final int DEFAULT_SEARCH_TOKENS = 128;

    /** The paper's search over the three 4-bit formats from E2M1, on an even stride of calibration tokens. */
    public static final Fp4Settings DEFAULT = new Fp4Settings(
            Fp4Format.E2M1, 100, 0.01, 1.2, 3, DEFAULT_SEARCH_TOKENS, List.of(Fp4Format.values()));

    /** Checks the ranges and puts the initial format first among the candidates. */
    public Fp4Settings {
        if (format == null) {
            throw new IllegalArgumentException("an FP4 format is required (E2M1, E3M0 or E1M2)");
        }
        if (formats == null || !formats.contains(format)) {
            throw new IllegalArgumentException(
                    "the FP4 format candidates " + formats + " must contain the initial format " + format);
        }
        List<Fp4Format> ordered = new ArrayList<>();
        ordered.add(format);
        for (Fp4Format f : formats) {
            if (f == null) {
                throw new IllegalArgumentException("the FP4 format candidates " + formats + " contain null");
            }
            if (!ordered.contains(f)) {
                ordered.add(f);
            }
        }
        formats = List.copyOf(ordered);
        if (searchPoints < 1 || rounds < 1 || maxSearchTokens < 0) {
            throw new IllegalArgumentException(
                    "FP4 search needs points and rounds >= 1 and a token cap >= 0 (0: all tokens), got "
                            + searchPoints + ", " + rounds + ", " + maxSearchTokens);
        }
        if (!(lowMultiplier > 0) || !(highMultiplier > lowMultiplier)) {
            throw new IllegalArgumentException(
                    "FP4 bias multipliers need 0 < low < high, got " + lowMultiplier + " and " + highMultiplier);
        }
    }

    /**
     * Creates settings with one fixed format (no format search).
     *
     * @param format the format of every weight and input
     * @param searchPoints bias candidates per search
     * @param lowMultiplier the smallest bias multiplier
     * @param highMultiplier the multiplier after the last candidate
     * @param rounds alternations of weight and activation search
     * @param maxSearchTokens calibration tokens the output error is measured on, {@value #ALL_TOKENS}
     *     for all
     */
    public Fp4Settings(
            Fp4Format format, int searchPoints, double lowMultiplier, double highMultiplier, int rounds, int maxSearchTokens) {
        this(format, searchPoints, lowMultiplier, highMultiplier, rounds, maxSearchTokens, List.of(format));
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
     * Returns these settings measuring the search on at most {@code tokens} calibration tokens.
     *
     * @param tokens the cap, {@value #ALL_TOKENS} for all tokens
     * @return the new settings
     */
    public Fp4Settings withMaxSearchTokens(int tokens) {
        return new Fp4Settings(format, searchPoints, lowMultiplier, highMultiplier, rounds, tokens, formats);
    }

    /**
     * Returns these settings with one fixed format, not searched.
     *
     * @param f the format
     * @return the new settings
     */
    public Fp4Settings withFormat(Fp4Format f) {
        return new Fp4Settings(f, searchPoints, lowMultiplier, highMultiplier, rounds, maxSearchTokens);
    }

    /**
     * Returns these settings choosing among given formats, starting from {@link #format()}.
     *
     * @param candidates the formats to choose from; must contain {@link #format()}
     * @return the new settings
     */
    public Fp4Settings withFormats(List<Fp4Format> candidates) {
        return new Fp4Settings(format, searchPoints, lowMultiplier, highMultiplier, rounds, maxSearchTokens, candidates);
    }
}
