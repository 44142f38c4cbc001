package io.djlint4.quant.rptq;

import java.util.Arrays;

/**
 * The smallest and largest value each input channel of one linear slot took over the calibration
 * tokens.
 *
 * @param min per-channel minima
 * @param max per-channel maxima
 */
public record ChannelRanges(float[] min, float[] max) {

    /** Checks that both arrays cover the same channels. */
    public ChannelRanges {
        if (min.length != max.length) {
            throw new IllegalArgumentException(min.length + " minima but " + max.length + " maxima");
        }
    }

    /**
     * Returns the number of channels.
     *
     * @return the slot width
     */
    public int width() {
        return min.length;
    }

    /**
     * Returns the k-means features of a block of channels: {@code (max, min)} per channel.
     *
     * @param from the first channel
     * @param count the number of channels
     * @return {@code count} two-dimensional points
     */
    public double[][] features(int from, int count) {
        double[][] f = new double[count][];
        for (int i = 0; i < count; i++) {
            f[i] = new double[] {max[from + i], min[from + i]};
        }
        return f;
    }

    /**
     * Returns the joint k-means features of a block of channels seen by two tensors that must share
     * one reorder (R2: queries and keys, §7.2): {@code (max_a, max_b, min_a, min_b)} per channel.
     *
     * @param a the first tensor's ranges (queries, pooled per key/value head)
     * @param b the second tensor's ranges (keys), same width
     * @param from the first channel
     * @param count the number of channels
     * @return {@code count} four-dimensional points
     */
    public static double[][] jointFeatures(ChannelRanges a, ChannelRanges b, int from, int count) {
        if (a.width() != b.width()) {
            throw new IllegalArgumentException("joint ranges need equal widths, got " + a.width() + " and " + b.width());
        }
        double[][] f = new double[count][];
        for (int i = 0; i < count; i++) {
            int c = from + i;
            f[i] = new double[] {a.max[c], b.max[c], a.min[c], b.min[c]};
        }
        return f;
    }

    /**
     * Pools the ranges of equally sized head blocks that share a key/value head: the largest
     * maximum and smallest minimum of each channel over the query heads of the group (§7.3 R3).
     *
     * @param heads the number of query heads
     * @param kvHeads the number of key/value heads
     * @param headDim the channels per head
     * @return ranges of width {@code kvHeads * headDim}
     */
    public ChannelRanges poolHeads(int heads, int kvHeads, int headDim) {
        if (width() != heads * headDim) {
            throw new IllegalArgumentException(
                    "ranges cover " + width() + " channels, not " + heads + " heads of " + headDim);
        }
        int group = heads / kvHeads;
        float[] lo = new float[kvHeads * headDim];
        float[] hi = new float[kvHeads * headDim];
        Arrays.fill(lo, Float.POSITIVE_INFINITY);
        Arrays.fill(hi, Float.NEGATIVE_INFINITY);
        for (int h = 0; h < heads; h++) {
            int dst = (h / group) * headDim;
            for (int i = 0; i < headDim; i++) {
                lo[dst + i] = Math.min(lo[dst + i], min[h * headDim + i]);
                hi[dst + i] = Math.max(hi[dst + i], max[h * headDim + i]);
            }
        }
        return new ChannelRanges(lo, hi);
    }
}
