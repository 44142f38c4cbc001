package io.djlint4.quant.rptq;

import io.djlint4.model.LinearInputObserver;
import io.djlint4.model.LinearSlot;
import java.util.Arrays;

/**
 * Records the per-channel minimum and maximum of every linear slot's input over the calibration
 * passes it observes (§7.2 {@code channelStats}).
 */
public final class ChannelRangeCollector implements LinearInputObserver {

    private final float[][][] min;
    private final float[][][] max;

    /**
     * Creates an empty collector.
     *
     * @param layers the number of decoder layers
     */
    public ChannelRangeCollector(int layers) {
        int slots = LinearSlot.values().length;
        this.min = new float[layers][slots][];
        this.max = new float[layers][slots][];
    }

    @Override
    public void onInput(int layer, LinearSlot slot, float[] x, int rows, int width) {
        int s = slot.ordinal();
        if (min[layer][s] == null) {
            min[layer][s] = new float[width];
            max[layer][s] = new float[width];
            Arrays.fill(min[layer][s], Float.POSITIVE_INFINITY);
            Arrays.fill(max[layer][s], Float.NEGATIVE_INFINITY);
        }
        float[] lo = min[layer][s];
        float[] hi = max[layer][s];
        for (int r = 0; r < rows; r++) {
            int off = r * width;
            for (int c = 0; c < width; c++) {
                float v = x[off + c];
                if (v < lo[c]) {
                    lo[c] = v;
                }
                if (v > hi[c]) {
                    hi[c] = v;
                }
            }
        }
    }

    /**
     * Returns what was recorded for one slot.
     *
     * @param layer the decoder layer
     * @param slot the slot
     * @return copies of the per-channel ranges
     * @throws IllegalStateException if the slot was never observed
     */
    public ChannelRanges ranges(int layer, LinearSlot slot) {
        int s = slot.ordinal();
        if (min[layer][s] == null) {
            throw new IllegalStateException("no calibration input was observed for layer " + layer + " " + slot);
        }
        return new ChannelRanges(min[layer][s].clone(), max[layer][s].clone());
    }
}
