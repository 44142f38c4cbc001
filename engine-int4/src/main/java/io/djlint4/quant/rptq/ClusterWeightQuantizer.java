package io.djlint4.quant.rptq;

import io.djlint4.quant.weight.Gptq;
import io.djlint4.quant.weight.QuantParams;

/**
 * Weight quantization with one grid per output row and input cluster, fitted to the segment's own
 * minimum and maximum (§7.4), rounded to nearest or by GPTQ onto the same grids.
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
     * Returns the weight bit width.
     *
     * @return the bits per code
     */
    public int bits() {
        return grid.bits();
    }

    /**
     * Quantizes a matrix whose columns are already reordered, rounding to nearest.
     *
     * @param w the weights, row-major {@code [rows, clusters.width()]}
     * @param rows the number of rows
     * @param clusters the input clusters
     * @return the codes and grids
     */
    public ClusteredWeights quantize(float[] w, int rows, ChannelClusters clusters) {
        QuantParams[] params = fit(w, rows, clusters);
        int cols = clusters.width();
        int[] clusterOf = clusterOfColumn(clusters);
        byte[] codes = new byte[w.length];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                codes[r * cols + j] = (byte) grid.quantize(w[r * cols + j], params[r * clusters.clusterCount() + clusterOf[j]]);
            }
        }
        return weights(rows, clusters, codes, params);
    }

    /**
     * Quantizes a matrix whose columns are already reordered with GPTQ onto grids fitted to the
     * original weights (§7.4: static groups of variable size, no act-order).
     *
     * @param w the weights, row-major {@code [rows, clusters.width()]}
     * @param rows the number of rows
     * @param clusters the input clusters
     * @param hessian {@code [cols, cols]} from the layer's quantized, reordered inputs
     * @param gptq the error-feedback settings
     * @return the codes and grids
     */
    public ClusteredWeights quantize(float[] w, int rows, ChannelClusters clusters, double[] hessian, Gptq gptq) {
        QuantParams[] params = fit(w, rows, clusters);
        int k = clusters.clusterCount();
        int[] clusterOf = clusterOfColumn(clusters);
        byte[] codes =
                gptq.quantizeOnFixedGrids(w, rows, clusters.width(), hessian, new Gptq.FixedGrid() {
                    @Override
                    public int quantize(int row, int col, float value) {
                        return grid.quantize(value, params[row * k + clusterOf[col]]);
                    }

                    @Override
                    public float dequantize(int row, int col, int code) {
                        return grid.dequantize(code, params[row * k + clusterOf[col]]);
                    }
                });
        return weights(rows, clusters, codes, params);
    }

    /** One grid per (row, cluster) from the segment's own minimum and maximum, {@code [rows * clusters]}. */
    private QuantParams[] fit(float[] w, int rows, ChannelClusters clusters) {
        int cols = clusters.width();
        if (w.length != (long) rows * cols) {
            throw new IllegalArgumentException("weight has " + w.length + " values, expected " + rows + "x" + cols);
        }
        int[] starts = clusters.starts();
        int k = clusters.clusterCount();
        QuantParams[] params = new QuantParams[rows * k];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < k; c++) {
                float lo = Float.POSITIVE_INFINITY;
                float hi = Float.NEGATIVE_INFINITY;
                for (int j = r * cols + starts[c]; j < r * cols + starts[c + 1]; j++) {
                    lo = Math.min(lo, w[j]);
                    hi = Math.max(hi, w[j]);
                }
                params[r * k + c] = grid.fit(lo, hi);
            }
        }
        return params;
    }

    private static int[] clusterOfColumn(ChannelClusters clusters) {
        int[] starts = clusters.starts();
        int[] of = new int[clusters.width()];
        for (int c = 0; c + 1 < starts.length; c++) {
            for (int j = starts[c]; j < starts[c + 1]; j++) {
                of[j] = c;
            }
        }
        return of;
    }

    private ClusteredWeights weights(int rows, ChannelClusters clusters, byte[] codes, QuantParams[] params) {
        float[] scales = new float[params.length];
        int[] zeros = new int[params.length];
        for (int i = 0; i < params.length; i++) {
            scales[i] = params[i].scale();
            zeros[i] = params[i].zero();
        }
        return new ClusteredWeights(rows, clusters, codes, scales, zeros, grid);
    }
}
