package io.djlint4.quant.act;

import io.djlint4.kernels.RowGroups;
import io.djlint4.quant.weight.QuantParams;
import io.djlint4.quant.weight.UniformQuantizer;

/** Per-token round-to-nearest: one grid per row, fitted to the row's range times a clip ratio. */
public final class PerTokenQuantizer implements ActivationQuantizer {

    private final UniformQuantizer grid;
    private final float clip;

    /**
     * Creates the quantizer.
     *
     * @param bits the bit width
     * @param symmetric whether the grid is symmetric
     * @param clip the clip ratio in (0, 1]
     */
    public PerTokenQuantizer(int bits, boolean symmetric, float clip) {
        if (!(clip > 0 && clip <= 1)) {
            throw new IllegalArgumentException("clip ratio must be in (0, 1], got " + clip);
        }
        this.grid = new UniformQuantizer(bits, symmetric);
        this.clip = clip;
    }

    /**
     * Returns the grid rows are quantized to.
     *
     * @return the grid
     */
    public UniformQuantizer grid() {
        return grid;
    }

    @Override
    public void apply(float[] x, int rows, int width, float[] out) {
        for (int r = 0; r < rows; r++) {
            int off = r * width;
            QuantParams p = grid.fit(x, off, 1, width, clip);
            for (int c = 0; c < width; c++) {
                out[off + c] = grid.roundTrip(x[off + c], p);
            }
        }
    }

    /** Every row has its own grid: one call for all groups. */
    @Override
    public void apply(float[] x, RowGroups groups, int width, float[] out) {
        apply(x, groups.rows(), width, out);
    }
}
