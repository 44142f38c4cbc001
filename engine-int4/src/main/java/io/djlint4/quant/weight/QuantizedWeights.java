package io.djlint4.quant.weight;

/**
 * A weight matrix {@code [rows, cols]} as integer codes (one per byte, unpacked) with one grid per
 * row and group of {@code groupSize} consecutive columns: the hand-off from a weight quantizer
 * (RTN, GPTQ) to a packed kernel format.
 *
 * @param rows the number of output channels
 * @param cols the number of input channels
 * @param groupSize columns per group ({@code cols} for one group per row)
 * @param codes the codes, row-major {@code [rows, cols]}
 * @param scales the grid scales, {@code [rows, groups]}
 * @param zeros the grid zero points, {@code [rows, groups]}
 * @param quantizer the grid the codes belong to
 */
public record QuantizedWeights(
        int rows,
        int cols,
        int groupSize,
        byte[] codes,
        float[] scales,
        int[] zeros,
        UniformQuantizer quantizer)
        implements QuantizedMatrix {

    /**
     * Returns the number of groups per row.
     *
     * @return {@code ceil(cols / groupSize)}
     */
    public int groups() {
        return (cols + groupSize - 1) / groupSize;
    }

    /**
     * Returns the parameters of one row's group.
     *
     * @param row the row
     * @param group the group index along the columns
     * @return the parameters
     */
    public QuantParams params(int row, int group) {
        int i = row * groups() + group;
        return new QuantParams(scales[i], zeros[i]);
    }

    @Override
    public GroupLayout layout() {
        return GroupLayout.PER_OUTPUT_CHANNEL;
    }

    @Override
    public float[] dequantize() {
        float[] w = new float[rows * cols];
        int groups = groups();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int g = r * groups + c / groupSize;
                w[r * cols + c] = (codes[r * cols + c] - zeros[g]) * scales[g];
            }
        }
        return w;
    }

    @Override
    public long storedBits() {
        long grids = (long) rows * groups();
        return (long) rows * cols * quantizer.bits() + grids * (quantizer.symmetric() ? 32 : 64);
    }
}
