package io.djlint4.quant.rptq;

import io.djlint4.model.RowTransform;

/** Writes each row's channels in reordered order: {@code out[r][j] = x[r][perm[j]]}. */
public final class ChannelGather implements RowTransform {

    private final int[] perm;

    /**
     * Creates the gather.
     *
     * @param clusters the reorder to apply
     */
    public ChannelGather(ChannelClusters clusters) {
        this.perm = clusters.perm();
    }

    @Override
    public void apply(float[] x, int rows, float[] out) {
        int width = perm.length;
        for (int r = 0; r < rows; r++) {
            int off = r * width;
            for (int j = 0; j < width; j++) {
                out[off + j] = x[off + perm[j]];
            }
        }
    }
}
