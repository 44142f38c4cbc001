package io.djlint4.quant.smooth;

import io.djlint4.quant.act.ActivationQuantizer;
import io.djlint4.quant.act.PerTokenQuantizer;
import io.djlint4.kernels.SortedChannelGroups;
import java.util.Arrays;

/**
 * Runtime Smooth, per channel or with the sorted-group variant RRS uses (§4.2 of ALGORITHMS.md): each
 * channel's maximum |value| over the rows of this call (of each sequence of a batch, through the
 * grouped {@code apply}), channels ordered by maximum and grouped by
 * {@code group}, every channel of a group divided by the group's largest maximum, then per-token
 * quantization, then the scales multiplied back. NaN or infinite inputs are rejected: a silent
 * maximum over them would corrupt every row.
 */
public final class RuntimeSmoother implements ActivationQuantizer {

    /** Floor of a channel maximum, so an all-zero channel divides by a positive number. */
    static final float MIN_MAX = 1e-5f;

    private final int group;
    private final PerTokenQuantizer quantizer;

    /**
     * Creates the smoother.
     *
     * @param group channels per smoothing group (128 for RRS in the paper); 1 gives plain per-channel RS
     * @param quantizer the per-token quantizer applied to the smoothed rows
     */
    public RuntimeSmoother(int group, PerTokenQuantizer quantizer) {
        if (group < 1) {
            throw new IllegalArgumentException("group must be positive, got " + group);
        }
        this.group = group;
        this.quantizer = quantizer;
    }

    /**
     * Computes the smoothing scale of every channel for these rows.
     *
     * @param x the input {@code [rows, width]}
     * @param rows the number of rows
     * @param width the number of channels
     * @return {@code r'[c]}, the divisor of channel c
     */
    public float[] scales(float[] x, int rows, int width) {
        float[] r = new float[width];
        Arrays.fill(r, MIN_MAX);
        for (int t = 0; t < rows; t++) {
            int off = t * width;
            for (int c = 0; c < width; c++) {
                float v = x[off + c];
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException(
                            "runtime smooth: non-finite activation " + v + " at row " + t + ", channel " + c);
                }
                r[c] = Math.max(r[c], Math.abs(v));
            }
        }
        float[] scaled = new float[width];
        SortedChannelGroups.assign(r, group, new long[width], new int[width], scaled);
        return scaled;
    }

    @Override
    public void apply(float[] x, int rows, int width, float[] out) {
        float[] s = scales(x, rows, width);
        for (int t = 0; t < rows; t++) {
            int off = t * width;
            for (int c = 0; c < width; c++) {
                out[off + c] = x[off + c] / s[c];
            }
        }
        quantizer.apply(out, rows, width, out);
        for (int t = 0; t < rows; t++) {
            int off = t * width;
            for (int c = 0; c < width; c++) {
                out[off + c] *= s[c];
            }
        }
    }
}
