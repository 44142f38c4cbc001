package io.djlint4.quant.rptq;

import io.djlint4.model.LinearInputObserver;
import io.djlint4.model.LinearSlot;
import java.util.Arrays;

/**
 * Records the per-channel minimum and maximum of every linear slot's input, and of every layer's
 * queries and keys after rope, over the calibration passes it observes (§7.2 {@code
 * channelStats}).
 */
public final class ChannelRangeCollector implements LinearInputObserver {

    private final float[][][] min;
    private final float[][][] max;
    private final float[][] queryMin;
    private final float[][] queryMax;
    private final float[][] keyMin;
    private final float[][] keyMax;

    /**
     * Creates an empty collector.
     *
     * @param layers the number of decoder layers
     */
    public ChannelRangeCollector(int layers) {
        int slots = LinearSlot.values().length;
        this.min = new float[layers][slots][];
        this.max = new float[layers][slots][];
        this.queryMin = new float[layers][];
        this.queryMax = new float[layers][];
        this.keyMin = new float[layers][];
        this.keyMax = new float[layers][];
    }

    @Override
    public void onInput(int layer, LinearSlot slot, float[] x, int rows, int width) {
        int s = slot.ordinal();
        if (min[layer][s] == null) {
            min[layer][s] = emptyRange(width, Float.POSITIVE_INFINITY);
            max[layer][s] = emptyRange(width, Float.NEGATIVE_INFINITY);
        }
        accumulate(min[layer][s], max[layer][s], x, rows, width);
    }

    @Override
    public void onAttentionOperands(int layer, float[] queries, float[] keys, float[] values, int rows) {
        int qWidth = queries.length / rows;
        int kWidth = keys.length / rows;
        if (queryMin[layer] == null) {
            queryMin[layer] = emptyRange(qWidth, Float.POSITIVE_INFINITY);
            queryMax[layer] = emptyRange(qWidth, Float.NEGATIVE_INFINITY);
            keyMin[layer] = emptyRange(kWidth, Float.POSITIVE_INFINITY);
            keyMax[layer] = emptyRange(kWidth, Float.NEGATIVE_INFINITY);
        }
        accumulate(queryMin[layer], queryMax[layer], queries, rows, qWidth);
        accumulate(keyMin[layer], keyMax[layer], keys, rows, kWidth);
    }

    private static float[] emptyRange(int width, float fill) {
        float[] a = new float[width];
        Arrays.fill(a, fill);
        return a;
    }

    private static void accumulate(float[] lo, float[] hi, float[] x, int rows, int width) {
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
        return copy(min[layer][s], max[layer][s], "layer " + layer + " " + slot);
    }

    /**
     * Returns what was recorded for one layer's queries after rope.
     *
     * @param layer the decoder layer
     * @return copies of the per-channel ranges, width {@code heads * headDim}
     * @throws IllegalStateException if the layer's attention was never observed
     */
    public ChannelRanges queryRanges(int layer) {
        return copy(queryMin[layer], queryMax[layer], "layer " + layer + " queries");
    }

    /**
     * Returns what was recorded for one layer's keys after rope.
     *
     * @param layer the decoder layer
     * @return copies of the per-channel ranges, width {@code kvHeads * headDim}
     * @throws IllegalStateException if the layer's attention was never observed
     */
    public ChannelRanges keyRanges(int layer) {
        return copy(keyMin[layer], keyMax[layer], "layer " + layer + " keys");
    }

    private static ChannelRanges copy(float[] lo, float[] hi, String what) {
        if (lo == null) {
            throw new IllegalStateException("no calibration input was observed for " + what);
        }
        return new ChannelRanges(lo.clone(), hi.clone());
    }
}
