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
     * @param groupSize columns per group, or 0 for one group per row
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
