package io.djlint4.quant.weight;

import io.djlint4.kernels.KernelThreads;

/**
 * Round-to-nearest weight quantization with the clipping search applied to every row (or row
 * group), the default weight quantizer of every recipe.
 */
public final class RtnQuantizer {

    private final UniformQuantizer quantizer;
    private final int groupSize;
    private final boolean clipSearch;

    /**
     * Creates the quantizer.
     *
     * @param quantizer the integer grid
     * @param groupSize columns per group (rows per group for per-IC groups), or 0 for one group
     *     per row (per column)
     * @param clipSearch whether to search the clipping factor (otherwise the full range is used)
     */
    public RtnQuantizer(UniformQuantizer quantizer, int groupSize, boolean clipSearch) {
        if (groupSize < 0) {
            throw new IllegalArgumentException("group size must be >= 0, got " + groupSize);
        }
        this.quantizer = quantizer;
        this.groupSize = groupSize;
        this.clipSearch = clipSearch;
    }

    /**
     * Returns the group size.
     *
     * @return columns per group (rows per group per-IC), or 0 for whole rows (columns)
     */
    public int groupSize() {
        return groupSize;
    }

    /**
     * Quantizes a matrix.
     *
     * @param w the weights, row-major {@code [rows, cols]}
     * @param rows the number of rows
     * @param cols the number of columns
     * @return the codes and grids
     */
    public QuantizedWeights quantize(float[] w, int rows, int cols) {
        int g = groupSize == 0 ? cols : groupSize;
        int groups = (cols + g - 1) / g;
        byte[] codes = new byte[rows * cols];
        float[] scales = new float[rows * groups];
        int[] zeros = new int[rows * groups];
        // Rows are independent and the clipping search is costly: spread them over the kernel pool.
        KernelThreads.parallelFor(rows, 1, (from, to) -> quantizeRows(w, cols, g, groups, codes, scales, zeros, from, to));
        return new QuantizedWeights(rows, cols, g, codes, scales, zeros, quantizer);
    }

    /**
     * Quantizes a matrix with per-IC groups (AdaDim): {@code groupSize} consecutive rows of one
     * column share a grid, fitted the same way as per-OC groups.
     *
     * @param w the weights, row-major {@code [rows, cols]}
     * @param rows the number of rows
     * @param cols the number of columns
     * @return the codes and grids
     * @throws IllegalArgumentException when the groups do not tile the rows (see {@link
     *     PerIcQuantizedWeights#groupRows})
     */
    public PerIcQuantizedWeights quantizePerInputChannel(float[] w, int rows, int cols) {
        int g = PerIcQuantizedWeights.groupRows(groupSize, rows);
        if (g == 0) {
            throw new IllegalArgumentException(
                    "per-IC groups of " + groupSize + " rows do not tile " + rows + " rows");
        }
        byte[] codes = new byte[rows * cols];
        float[] scales = new float[rows / g * cols];
        int[] zeros = new int[scales.length];
        KernelThreads.parallelFor(cols, 1, (from, to) -> {
            for (int c = from; c < to; c++) {
                for (int r0 = 0; r0 < rows; r0 += g) {
                    int off = r0 * cols + c;
                    QuantParams p =
                            clipSearch
                                    ? ClipSearch.search(quantizer, w, off, cols, g).params()
                                    : quantizer.fit(w, off, cols, g, 1f);
                    scales[r0 / g * cols + c] = p.scale();
                    zeros[r0 / g * cols + c] = p.zero();
                    for (int r = r0; r < r0 + g; r++) {
                        codes[r * cols + c] = (byte) quantizer.quantize(w[r * cols + c], p);
                    }
                }
            }
        });
        return new PerIcQuantizedWeights(rows, cols, g, codes, scales, zeros, quantizer);
    }

    /**
     * Quantizes a matrix in the given layout.
     *
     * @param w the weights, row-major {@code [rows, cols]}
     * @param rows the number of rows
     * @param cols the number of columns
     * @param layout the group layout
     * @return the codes and grids
     */
    public QuantizedMatrix quantize(float[] w, int rows, int cols, GroupLayout layout) {
        return layout == GroupLayout.PER_INPUT_CHANNEL
                ? quantizePerInputChannel(w, rows, cols)
                : quantize(w, rows, cols);
    }

    private void quantizeRows(
            float[] w, int cols, int g, int groups, byte[] codes, float[] scales, int[] zeros, int from, int to) {
        for (int r = from; r < to; r++) {
            for (int gi = 0; gi < groups; gi++) {
                int c0 = gi * g;
                int n = Math.min(g, cols - c0);
                QuantParams p =
                        clipSearch
                                ? ClipSearch.search(quantizer, w, r * cols + c0, 1, n).params()
                                : quantizer.fit(w, r * cols + c0, 1, n, 1f);
                scales[r * groups + gi] = p.scale();
                zeros[r * groups + gi] = p.zero();
                for (int c = c0; c < c0 + n; c++) {
                    codes[r * cols + c] = (byte) quantizer.quantize(w[r * cols + c], p);
                }
            }
        }
    }
}
