package io.djlint4.quant.smooth;

import java.util.Arrays;

/** Orders channels by a per-channel value, largest first, ties broken by channel index. */
final class ChannelOrder {

    private ChannelOrder() {}

    /**
     * Returns the channel indices sorted by decreasing value.
     *
     * @param values one non-negative finite value per channel
     * @return the permutation
     */
    static int[] descending(float[] values) {
        // Sort packed (value, index) keys as longs: no boxing, and the index breaks ties stably.
        // Non-negative floats order like their bit patterns.
        long[] keys = new long[values.length];
        for (int c = 0; c < values.length; c++) {
            long bits = Float.floatToRawIntBits(values[c]) & 0xffffffffL;
            keys[c] = ((0xffffffffL - bits) << 32) | c;
        }
        Arrays.sort(keys);
        int[] order = new int[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = (int) (keys[i] & 0xffffffffL);
        }
        return order;
    }
}
