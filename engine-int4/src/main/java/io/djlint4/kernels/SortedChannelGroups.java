package io.djlint4.kernels;

import java.util.Arrays;

/**
 * The grouping of Runtime Smooth (§4.2 of ALGORITHMS.md): channels sorted by decreasing maximum
 * (ties by channel index), cut into consecutive groups, each channel scaled by its group's first
 * (largest) maximum. Shared by the integer kernel and the reference fake-quant path so both sort
 * and group identically.
 */
public final class SortedChannelGroups {

    private SortedChannelGroups() {}

    /**
     * Sorts the channels and assigns every channel its group's scale.
     *
     * @param channelMax one positive finite maximum per channel
     * @param group channels per group, at least 1
     * @param keys scratch of at least {@code channelMax.length} entries (no allocation per call)
     * @param order receives the channels in sorted order
     * @param channelScale receives each channel's group scale
     */
    public static void assign(float[] channelMax, int group, long[] keys, int[] order, float[] channelScale) {
        int cols = channelMax.length;
        // Sort (−max bits, index) keys: positive floats order like their int bits.
        for (int c = 0; c < cols; c++) {
            keys[c] = ((long) (Integer.MAX_VALUE - Float.floatToIntBits(channelMax[c])) << 32) | c;
        }
        Arrays.sort(keys, 0, cols);
        for (int j = 0; j < cols; j++) {
            order[j] = (int) keys[j];
        }
        for (int g0 = 0; g0 < cols; g0 += group) {
            float r = channelMax[order[g0]];
            for (int j = g0; j < Math.min(cols, g0 + group); j++) {
                channelScale[order[j]] = r;
            }
        }
    }
}
