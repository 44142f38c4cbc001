package io.djlint4.quant.act;

import io.djlint4.kernels.RowGroups;
import io.djlint4.quant.weight.QuantParams;
import io.djlint4.quant.weight.UniformQuantizer;

/**
 * Per-token round-to-nearest: one grid per row, or per group of consecutive channels of a row
 * ({@code ag32}, {@code ag64}, {@code ag128}; the last group of a row may be shorter), fitted to its
 * range times a clip ratio.
 */
public final class PerTokenQuantizer implements ActivationQuantizer {

    private final UniformQuantizer grid;
    private final float clip;
    private final int group;

    /**
     * Creates the quantizer with one grid per row.
     *
     * @param bits the bit width
     * @param symmetric whether the grid is symmetric
     * @param clip the clip ratio in (0, 1]
     */
    public PerTokenQuantizer(int bits, boolean symmetric, float clip) {
        this(bits, symmetric, clip, 0);
    }

    /**
     * Creates the quantizer.
     *
     * @param bits the bit width
     * @param symmetric whether the grid is symmetric
     * @param clip the clip ratio in (0, 1]
     * @param group channels per grid, or 0 for one grid per row
     */
    public PerTokenQuantizer(int bits, boolean symmetric, float clip, int group) {
        if (!(clip > 0 && clip <= 1)) {
            throw new IllegalArgumentException("clip ratio must be in (0, 1], got " + clip);
        }
        if (group < 0) {
            throw new IllegalArgumentException("activation group must be >= 0, got " + group);
        }
        this.grid = new UniformQuantizer(bits, symmetric);
        this.clip = clip;
        this.group = group;
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
        int size = group > 0 ? group : width;
        for (int r = 0; r < rows; r++) {
            for (int start = 0; start < width; start += size) {
                int off = r * width + start;
                int n = Math.min(size, width - start);
                QuantParams p = grid.fit(x, off, 1, n, clip);
                for (int c = 0; c < n; c++) {
                    out[off + c] = grid.roundTrip(x[off + c], p);
                }
            }
        }
    }

    /** Every row has its own grid: one call for all groups. */
    @Override
    public void apply(float[] x, RowGroups groups, int width, float[] out) {
        apply(x, groups.rows(), width, out);
    }
}
