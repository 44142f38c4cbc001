package io.djlint4.quant.rptq;

import io.djlint4.quant.weight.QuantParams;

/**
 * The calibrated ranges of one tensor's clusters, kept the way the official code does
 * ("ema_minmax", §7.4): each update (one calibration sequence) yields every cluster's minimum and
 * maximum over its tokens and channels; the first update sets the range, later ones move it by
 * {@code 1 - momentum} towards theirs. Rows arrive in original channel order and each cluster's
 * channels are found through the reorder.
 */
final class EmaClusterRanges {

    private final ChannelClusters clusters;
    private final double momentum;
    private float[] lo;
    private float[] hi;

    /**
     * Creates the ranges, empty until the first update.
     *
     * @param clusters the clusters; cluster {@code c} holds channels {@code perm[starts[c]..starts[c+1])}
     * @param momentum the weight of the running range at each update
     */
    EmaClusterRanges(ChannelClusters clusters, double momentum) {
        this.clusters = clusters;
        this.momentum = momentum;
    }

    /** Returns the number of channels a row must have. */
    int width() {
        return clusters.width();
    }

    /**
     * Folds one calibration sequence's rows into the ranges.
     *
     * @param x the rows {@code [rows, width()]}, in original channel order
     * @param rows the number of rows
     */
    void update(float[] x, int rows) {
        int width = clusters.width();
        int[] perm = clusters.perm();
        int[] starts = clusters.starts();
        int k = clusters.clusterCount();
        float[] callLo = new float[k];
        float[] callHi = new float[k];
        for (int c = 0; c < k; c++) {
            float mn = Float.POSITIVE_INFINITY;
            float mx = Float.NEGATIVE_INFINITY;
            for (int r = 0; r < rows; r++) {
                int off = r * width;
                for (int j = starts[c]; j < starts[c + 1]; j++) {
                    float v = x[off + perm[j]];
                    mn = Math.min(mn, v);
                    mx = Math.max(mx, v);
                }
            }
            callLo[c] = mn;
            callHi[c] = mx;
        }
        if (lo == null) {
            lo = callLo;
            hi = callHi;
            return;
        }
        for (int c = 0; c < k; c++) {
            lo[c] = (float) (momentum * lo[c] + (1 - momentum) * callLo[c]);
            hi[c] = (float) (momentum * hi[c] + (1 - momentum) * callHi[c]);
        }
    }

    /** Returns whether any update has been seen. */
    boolean calibrated() {
        return lo != null;
    }

    /**
     * Returns the ranges.
     *
     * @return {@code [2][clusters]}: minima, then maxima
     */
    float[][] ranges() {
        return new float[][] {lo.clone(), hi.clone()};
    }

    /**
     * Fits a grid to every cluster's range.
     *
     * @param grid the grid
     * @return one fit per cluster
     */
    QuantParams[] fit(ClusterGrid grid) {
        QuantParams[] params = new QuantParams[lo.length];
        for (int c = 0; c < params.length; c++) {
            params[c] = grid.fit(lo[c], hi[c]);
        }
        return params;
    }
}
