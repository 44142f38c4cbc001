package io.djlint4.quant.fp4;

import io.djlint4.kernels.RowGroups;
import io.djlint4.quant.act.ActivationQuantizer;

/**
 * The runtime form of an {@link ActivationBias}: each channel is pre-shifted by {@code 2^(k_j)} and
 * quantized with the single bias ρ, and the shift is <em>not</em> undone, because {@code 2^(−k_j)}
 * is folded into the consuming weight's column {@code j} (§5.4). Only correct together with such a
 * folded weight ({@link Fp4Linear}).
 */
public final class Fp4ActivationQuantizer implements ActivationQuantizer {

    private final ActivationBias bias;
    private final float unit;

    /**
     * Creates the quantizer.
     *
     * @param bias the layer's input bias
     */
    public Fp4ActivationQuantizer(ActivationBias bias) {
        this.bias = bias;
        this.unit = bias.unit();
    }

    @Override
    public void apply(float[] x, int rows, int width, float[] out) {
        int[] k = bias.shifts();
        if (k.length != width) {
            throw new IllegalArgumentException("input has " + width + " channels, the bias " + k.length);
        }
        for (int t = 0; t < rows; t++) {
            for (int j = 0; j < width; j++) {
                int i = t * width + j;
                out[i] = bias.format().quantize(Math.scalb(x[i], k[j]), unit);
            }
        }
    }

    /** Rows are rounded one by one on calibrated grids: one call for all groups. */
    @Override
    public void apply(float[] x, RowGroups groups, int width, float[] out) {
        apply(x, groups.rows(), width, out);
    }
}
