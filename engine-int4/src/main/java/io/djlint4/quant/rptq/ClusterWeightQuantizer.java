package io.djlint4.quant.rptq;

import io.djlint4.quant.weight.QuantParams;

/**
 * Round-to-nearest weight quantization with one grid per output row and input cluster, fitted to
 * the segment's own minimum and maximum (§7.4, without GPTQ).
 */
public final class ClusterWeightQuantizer {

    private final ClusterGrid grid;

    /**
     * Creates the quantizer.
     *
     * @param bits the weight bit width, 2 to 8 (codes are stored one per byte)
     */
    public ClusterWeightQuantizer(int bits) {
        if (bits > 8) {
            throw new IllegalArgumentException("weight codes are stored in bytes: at most 8 bits, got " + bits);
        }
        this.grid = new ClusterGrid(bits);
    }

    /**
     * Quantizes a matrix whose columns are already reordered.
     *
     * @param w the weights, row-major {@code [rows, clusters.width()]}
     * @param rows the number of rows
     * @param clusters the input clusters
     * @return the codes and grids
     */
    public ClusteredWeights quantize(float[] w, int rows, ChannelClusters clusters) {
        int cols = clusters.width();
        if (w.length != (long) rows * cols) {
            throw new IllegalArgumentException("weight has " + w.length + " values, expected " + rows + "x" + cols);
        }
        int[] starts = clusters.starts();
        int k = clusters.clusterCount();
        byte[] codes = new byte[w.length];
        float[] scales = new float[rows * k];
        int[] zeros = new int[rows * k];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < k; c++) {
                float lo = Float.POSITIVE_INFINITY;
                float hi = Float.NEGATIVE_INFINITY;
                for (int j = r * cols + starts[c]; j < r * cols + starts[c + 1]; j++) {
                    lo = Math.min(lo, w[j]);
                    hi = Math.max(hi, w[j]);
                }
                QuantParams p = grid.fit(lo, hi);
                scales[r * k + c] = p.scale();
                zeros[r * k + c] = p.zero();
                for (int j = r * cols + starts[c]; j < r * cols + starts[c + 1]; j++) {
                    codes[j] = (byte) grid.quantize(w[j], p);
                }
            }
        }
        return new ClusteredWeights(rows, clusters, codes, scales, zeros, grid);
    }
}
