package io.djlint4.quant.weight;

/**
 * A weight matrix {@code [rows, cols]} quantized with per-IC groups (AdaDim, §6.2 of
 * ALGORITHMS.md): {@code groupSize} consecutive rows of one column share a grid, so the grids form
 * a {@code [rows / groupSize, cols]} matrix. Codes are unpacked, one per byte.
 *
 * @param rows the number of output channels, a multiple of {@code groupSize}
 * @param cols the number of input channels
 * @param groupSize rows per group
 * @param codes the codes, row-major {@code [rows, cols]}
 * @param scales the grid scales, {@code [rows / groupSize, cols]}
 * @param zeros the grid zero points, {@code [rows / groupSize, cols]}
 * @param quantizer the grid the codes belong to
 */
public record PerIcQuantizedWeights(
        int rows,
        int cols,
        int groupSize,
        byte[] codes,
        float[] scales,
        int[] zeros,
        UniformQuantizer quantizer)
        implements QuantizedMatrix {

    /** Checks that the groups tile the rows and the arrays have their shapes. */
    public PerIcQuantizedWeights {
        if (groupSize <= 0 || rows % groupSize != 0) {
            throw new IllegalArgumentException(
                    "per-IC groups of " + groupSize + " rows do not tile " + rows + " rows");
        }
        long grids = (long) rows / groupSize * cols;
        if (codes.length != (long) rows * cols || scales.length != grids || zeros.length != grids) {
            throw new IllegalArgumentException(
                    "per-IC arrays do not match [" + rows + ", " + cols + "] with groups of " + groupSize);
        }
    }

    /**
     * Returns the rows per per-IC group a matrix can use (§6.6 of ALGORITHMS.md): the requested
     * size, or all rows when the matrix has fewer (or the request is 0); 0 when groups of the
     * requested size would not tile the rows, in which case per-IC is not available.
     *
     * @param groupSize the requested rows per group, or 0 for one group per column
     * @param rows the number of rows
     * @return the group size to use, or 0
     */
    public static int groupRows(int groupSize, int rows) {
        if (groupSize == 0 || groupSize >= rows) {
            return rows;
        }
        return rows % groupSize == 0 ? groupSize : 0;
    }

    /**
     * Returns the parameters of one column's group.
     *
     * @param group the group index along the rows
     * @param col the column
     * @return the parameters
     */
    public QuantParams params(int group, int col) {
        int i = group * cols + col;
        return new QuantParams(scales[i], zeros[i]);
    }

    @Override
    public GroupLayout layout() {
        return GroupLayout.PER_INPUT_CHANNEL;
    }

    @Override
    public float[] dequantize() {
        float[] w = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            int g = (r / groupSize) * cols;
            for (int c = 0; c < cols; c++) {
                w[r * cols + c] = (codes[r * cols + c] - zeros[g + c]) * scales[g + c];
            }
        }
        return w;
    }

    @Override
    public long storedBits() {
        long grids = (long) scales.length;
        return (long) rows * cols * quantizer.bits() + grids * (quantizer.symmetric() ? 32 : 64);
    }
}
