package io.djlint4.quant.rptq;

import io.djlint4.kernels.RowGroups;
import io.djlint4.quant.act.ActivationQuantizer;
import io.djlint4.quant.weight.QuantParams;

/**
 * Static per-cluster activation quantization: rows arrive reordered, so cluster {@code c} is the
 * contiguous run of {@code counts[c]} channels after the runs of the clusters before it, and all
 * its values share one calibrated grid.
 */
public final class ClusterActivationQuantizer implements ActivationQuantizer {

    private final ClusterGrid grid;
    private final int[] starts;
    private final QuantParams[] params;

    /**
     * Creates the quantizer.
     *
     * @param grid the grid
     * @param clusters the reorder whose clusters the rows follow
     * @param params one grid fit per cluster
     */
    public ClusterActivationQuantizer(ClusterGrid grid, ChannelClusters clusters, QuantParams[] params) {
        if (params.length != clusters.clusterCount()) {
            throw new IllegalArgumentException(
                    params.length + " cluster grids for " + clusters.clusterCount() + " clusters");
        }
        this.grid = grid;
        this.starts = clusters.starts();
        this.params = params.clone();
    }

    /**
     * Returns the grid every cluster is rounded on.
     *
     * @return the grid
     */
    public ClusterGrid grid() {
        return grid;
    }

    /**
     * Returns the calibrated grid fit of every cluster.
     *
     * @return one fit per cluster, in reordered order
     */
    public QuantParams[] params() {
        return params.clone();
    }

    @Override
    public void apply(float[] x, int rows, int width, float[] out) {
        if (width != starts[starts.length - 1]) {
            throw new IllegalArgumentException(
                    "rows have " + width + " channels, the clusters cover " + starts[starts.length - 1]);
        }
        for (int r = 0; r < rows; r++) {
            int off = r * width;
            for (int c = 0; c < params.length; c++) {
                QuantParams p = params[c];
                for (int j = off + starts[c]; j < off + starts[c + 1]; j++) {
                    out[j] = grid.roundTrip(x[j], p);
                }
            }
        }
    }

    /** Rows are rounded one by one on calibrated grids: one call for all groups. */
    @Override
    public void apply(float[] x, RowGroups groups, int width, float[] out) {
        apply(x, groups.rows(), width, out);
    }
}
