package io.djlint4.quant.weight;

/**
 * The weight clipping search of QuaRot/RRS/DFRot ({@code w_clip}, §2.2 of ALGORITHMS.md): for
 * shrink factors {@code p = 1 - i/100}, {@code i = 0..79}, fit the grid on {@code [p*lo, p*hi]} and
 * keep the factor whose round trip has the smallest {@code Σ|x̂ - x|^2.4}; only a strictly smaller
 * error replaces the current best.
 */
public final class ClipSearch {

    /** Number of grid steps between no shrink and the largest shrink. */
    static final int GRID = 100;

    /** The largest shrink is {@code MAX_SHRINK} of the range (p down to 0.21). */
    static final double MAX_SHRINK = 0.8;

    /** Exponent of the error norm. */
    static final double NORM = 2.4;

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
        for (int i = 0; i < n; i++) {
            float v = x[off + i * stride];
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double bestErr = Double.POSITIVE_INFINITY;
        QuantParams best = null;
        double bestP = 1;
        int steps = (int) (MAX_SHRINK * GRID);
        for (int i = 0; i < steps; i++) {
            double p = 1 - (double) i / GRID;
            QuantParams params = q.fitRange((float) (p * lo), (float) (p * hi));
            double err = 0;
            for (int k = 0; k < n && err < bestErr; k++) {
                float v = x[off + k * stride];
                err += Math.pow(Math.abs(q.roundTrip(v, params) - v), NORM);
            }
            if (err < bestErr) {
                bestErr = err;
                best = params;
                bestP = p;
            }
        }
        return new Result(best, bestP, bestErr);
    }

    /**
     * The outcome of a search.
     *
     * @param params the grid parameters at the chosen factor
     * @param shrink the chosen factor {@code p}
     * @param error the error {@code Σ|x̂ - x|^2.4} at that factor
     */
    public record Result(QuantParams params, double shrink, double error) {}
}
