package io.djlint4.quant.weight;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The screening pass of {@link ClipSearch} on the Vector API: the round trip of each value is
 * computed lane by lane exactly as {@link UniformQuantizer#roundTrip} computes it, and its error's
 * power {@code |x̂ − x|^2.4} by the Vector API's {@code POW} (the lane-wise {@link Math#pow}, cast
 * to float), summed in float per vector. Each vector's sum is then within {@link
 * #RELATIVE_ERROR} of the exact one (plus at most {@link #ABSOLUTE_ERROR} per value where a power
 * falls below float's normal range), which is what the screening needs; the chosen factor is
 * still decided by the exact pass. Only loaded when {@link
 * io.djlint4.kernels.VectorSupport#isAvailable()} is true.
 */
final class VectorClipErrors {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    /** Lanes per vector: the values summed per vector. */
    static final int LANES = F.length();

    /**
     * Bound on the relative error of one vector's sum of L non-negative powers: each power
     * rounded to float (twice the unit roundoff, allowing for {@code pow}'s own ulp) and L − 1
     * float additions, with 1 % to spare.
     */
    static final double RELATIVE_ERROR = (LANES + 1) * 0x1p-24 * 1.01;

    /** Bound on the absolute error of one power below float's normal range. */
    static final double ABSOLUTE_ERROR = 0x1p-140;

    /** Adding then subtracting it rounds a float below 2^22 in magnitude to the nearest integer, ties to even. */
    private static final float ROUNDER = 0x1.8p23f;

    private VectorClipErrors() {}

    /**
     * Sums {@code |roundTrip(x[off + k]) − x[off + k]|^2.4} over whole vectors of {@code k < n},
     * stopping after the vector that takes the sum above {@code limit}.
     *
     * @param x the values, contiguous
     * @param off the index of the first value
     * @param n the number of values; the last {@code n % LANES} are left to the caller
     * @param gridScale the grid's scale
     * @param gridZero the grid's zero point
     * @param minCode the smallest code
     * @param maxCode the largest code
     * @param limit the sum above which the caller needs no more
     * @return the sum, or a partial sum above {@code limit}
     */
    static double errorSum(
            float[] x, int off, int n, float gridScale, int gridZero, int minCode, int maxCode, double limit) {
        FloatVector scale = FloatVector.broadcast(F, gridScale);
        FloatVector zero = FloatVector.broadcast(F, (float) gridZero);
        FloatVector lowest = FloatVector.broadcast(F, (float) minCode);
        FloatVector highest = FloatVector.broadcast(F, (float) maxCode);
        double total = 0;
        for (int k = 0; k + LANES <= n; k += LANES) {
            FloatVector v = FloatVector.fromArray(F, x, off + k);
            // A fitted range covers v and the factor is at least 0.2, so |v / s| is at most 5 codes
            // over the largest, far below 2^22: the rounding trick equals Math.rint there.
            FloatVector code = v.div(scale).add(ROUNDER).sub(ROUNDER).add(zero).max(lowest).min(highest);
            FloatVector error = code.sub(zero).mul(scale).sub(v).abs();
            total += error.lanewise(VectorOperators.POW, (float) ClipSearch.NORM).reduceLanes(VectorOperators.ADD);
            if (total > limit) {
                return total;
            }
        }
        return total;
    }
}
