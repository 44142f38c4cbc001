package io.djlint4.quant.rptq;

import io.djlint4.quant.weight.QuantParams;

/**
 * A weight matrix {@code [rows, cols]} quantized with one grid per output row and input cluster
 * (§7.4): codes one per byte, unpacked, for a kernel to pack; cluster {@code c} is the run of
 * {@code counts[c]} columns after the runs of the clusters before it.
 *
 * @param rows the number of output channels
 * @param clusters the input clusters the columns follow
 * @param codes the signed codes, row-major {@code [rows, cols]}
 * @param scales the grid scales, {@code [rows, clusters]}
 * @param zeros the grid zero points, {@code [rows, clusters]}
 * @param grid the grid the codes belong to
 */
public record ClusteredWeights(
        int rows, ChannelClusters clusters, byte[] codes, float[] scales, int[] zeros, ClusterGrid grid) {

    /** Checks the array sizes. */
    public ClusteredWeights {
        int cols = clusters.width();
        int k = clusters.clusterCount();
        if (codes.length != (long) rows * cols || scales.length != rows * k || zeros.length != rows * k) {
            throw new IllegalArgumentException(
                    "arrays do not match " + rows + " rows, " + cols + " columns and " + k + " clusters");
        }
    }

    /**
     * Returns the parameters of one row's cluster.
     *
     * @param row the output row
     * @param cluster the input cluster
     * @return the grid parameters
     */
    public QuantParams params(int row, int cluster) {
        int i = row * clusters.clusterCount() + cluster;
        return new QuantParams(scales[i], zeros[i]);
    }

    /**
     * Returns the full-precision matrix the codes stand for.
     *
     * @return the dequantized weights {@code [rows, cols]}
     */
    public float[] dequantize() {
        int cols = clusters.width();
        int[] starts = clusters.starts();
        float[] w = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c + 1 < starts.length; c++) {
                QuantParams p = params(r, c);
                for (int j = starts[c]; j < starts[c + 1]; j++) {
                    w[r * cols + j] = grid.dequantize(codes[r * cols + j], p);
                }
            }
        }
        return w;
    }
}
