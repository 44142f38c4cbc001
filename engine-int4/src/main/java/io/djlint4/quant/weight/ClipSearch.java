package io.djlint4.quant.weight;

import io.djlint4.kernels.VectorSupport;

/**
 * The weight clipping search of QuaRot/RRS/DFRot ({@code w_clip}, §2.2 of ALGORITHMS.md): for
 * shrink factors {@code p = 1 - i/100}, {@code i = 0..79}, fit the grid on {@code [p*lo, p*hi]} and
 * keep the factor whose round trip has the smallest {@code Σ|x̂ - x|^2.4}; only a strictly smaller
 * error replaces the current best.
 *
 * <p>The powers dominate the cost, so the search runs in two passes that choose exactly what a
 * single pass with {@link Math#pow} would: the first scores every factor with {@link
 * ErrorPower#approx} (relative error at most δ per term, hence per sum); a factor whose
 * approximate error exceeds the smallest one by more than {@code (1+δ)/(1−δ)} cannot be the exact
 * minimum, and the second pass scores only the remaining factors exactly, in the original order
 * (none when one factor is left). A factor whose two extreme values alone already err more is
 * screened out by those two terms (a partial sum of the same kind).
 * With the Vector API and contiguous values the first pass runs {@link VectorClipErrors} (a
 * looser bound, still a few survivors), which makes the default recipe's load several times
 * faster; the choice is the same either way, since the exact pass decides.
 */
public final class ClipSearch {

    /** Number of grid steps between no shrink and the largest shrink. */
    static final int GRID = 100;

    /** The largest shrink is {@code MAX_SHRINK} of the range (p down to 0.21). */
    static final double MAX_SHRINK = 0.8;

    /** Exponent of the error norm. */
    static final double NORM = 2.4;

    private static final int STEPS = (int) (MAX_SHRINK * GRID);

    /** A factor whose approximate error is above the smallest times this may be skipped. */
    private static final double SCREEN =
            (1 + ErrorPower.RELATIVE_ERROR) / (1 - ErrorPower.RELATIVE_ERROR) * (1 + 1e-9);

    /** {@link #SCREEN} for the vector pass, whose scalar tail stays within the tighter bound. */
    private static final double VECTOR_SCREEN =
            (1 + VectorClipErrors.RELATIVE_ERROR) / (1 - VectorClipErrors.RELATIVE_ERROR) * (1 + 1e-9);

    /**
     * The vector pass needs a fast lane-wise {@code pow}: HotSpot has one (Intel's SVML) on x86-64
     * from JDK 17; elsewhere the lanes may fall back to one {@link Math#pow} each, slower than the
     * scalar table. Either pass chooses the same factor.
     */
    private static final boolean VECTOR = VectorSupport.isAvailable()
            && (System.getProperty("os.arch").equals("amd64") || System.getProperty("os.arch").equals("x86_64"));

    private ClipSearch() {}

    /**
     * Finds the best shrink factor for {@code n} values.
     *
     * @param q the quantizer
     * @param x the values
     * @param off offset of the first value
     * @param stride distance between consecutive values
     * @param n the number of values
     * @return the chosen parameters and shrink factor
     */
    public static Result search(UniformQuantizer q, float[] x, int off, int stride, int n) {
        float lo = 0f;
        float hi = 0f;
        int lowest = -1;
        int highest = -1;
        for (int i = 0; i < n; i++) {
            float v = x[off + i * stride];
            if (v < lo) {
                lo = v;
                lowest = i;
            }
            if (v > hi) {
                hi = v;
                highest = i;
            }
        }
        // grids kept as numbers, not records: 80 allocations per group cost as much as the vector pass
        float[] scales = new float[STEPS];
        int[] zeros = new int[STEPS];
        double[] approx = new double[STEPS];
        boolean vector = VECTOR && stride == 1 && n >= VectorClipErrors.LANES;
        int whole = vector ? n - n % VectorClipErrors.LANES : 0;
        double screen = vector ? VECTOR_SCREEN : SCREEN;
        // powers below float's normal range may be off by this much in all, whatever their sum
        double slack = vector ? n * VectorClipErrors.ABSOLUTE_ERROR : 0;
        double minApprox = Double.POSITIVE_INFINITY;
        for (int i = 0; i < STEPS; i++) {
            double p = 1 - (double) i / GRID;
            QuantParams grid = q.fitRange((float) (p * lo), (float) (p * hi));
            scales[i] = grid.scale();
            zeros[i] = grid.zero();
            double limit = (minApprox + slack) * screen + slack;
            // The two extremes' errors alone (clipped at small factors) often rule a factor out.
            double extremes = extremeError(q, grid, x, off, stride, lowest) + extremeError(q, grid, x, off, stride, highest);
            if (extremes > limit) {
                approx[i] = extremes;
                continue;
            }
            double err = vector
                    ? VectorClipErrors.errorSum(x, off, n, scales[i], zeros[i], q.minCode(), q.maxCode(), limit)
                    : 0;
            for (int k = whole; k < n && err <= limit; k++) {
                float v = x[off + k * stride];
                err += ErrorPower.approx(Math.abs(q.roundTrip(v, grid) - v));
            }
            approx[i] = err;
            minApprox = Math.min(minApprox, err);
        }
        double keep = (minApprox + slack) * screen + slack;
        int survivors = 0;
        int only = -1;
        for (int i = 0; i < STEPS; i++) {
            if (approx[i] <= keep) {
                survivors++;
                only = i;
            }
        }
        if (survivors == 1) {
            // The exact minimum always survives (and so does every factor tied with it): a lone
            // survivor is the choice, and needs no exact pass.
            return new Result(new QuantParams(scales[only], zeros[only]), 1 - (double) only / GRID);
        }
        double bestErr = Double.POSITIVE_INFINITY;
        int best = -1;
        for (int i = 0; i < STEPS; i++) {
            if (approx[i] > keep) {
                continue;
            }
            QuantParams grid = new QuantParams(scales[i], zeros[i]);
            double err = 0;
            for (int k = 0; k < n && err < bestErr; k++) {
                float v = x[off + k * stride];
                err += ErrorPower.exact(Math.abs(q.roundTrip(v, grid) - v));
            }
            if (err < bestErr) {
                bestErr = err;
                best = i;
            }
        }
        return new Result(new QuantParams(scales[best], zeros[best]), 1 - (double) best / GRID);
    }

    /** The approximate error power of one value, 0 for no value ({@code k < 0}). */
    private static double extremeError(UniformQuantizer q, QuantParams grid, float[] x, int off, int stride, int k) {
        if (k < 0) {
            return 0;
        }
        float v = x[off + k * stride];
        return ErrorPower.approx(Math.abs(q.roundTrip(v, grid) - v));
    }

    /**
     * The outcome of a search.
     *
     * @param params the grid parameters at the chosen factor
     * @param shrink the chosen factor {@code p}
     */
    public record Result(QuantParams params, double shrink) {}
}
