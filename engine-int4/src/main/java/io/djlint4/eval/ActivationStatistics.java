package io.djlint4.eval;

import io.djlint4.model.LinearInputObserver;
import io.djlint4.model.LinearSlot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects, for every layer and linear slot, the largest |activation| of each input channel and
 * of each token, so outlier channels (what smoothing and rotation target) and massive-activation
 * tokens (what DFRot weights) can be seen.
 */
public final class ActivationStatistics implements LinearInputObserver {

    private final Map<String, Accumulator> slots = new LinkedHashMap<>();
    private long tokenOffset;

    /**
     * Marks the start of a new sequence, so token positions in the report count from the first
     * sequence observed.
     *
     * @param tokens the number of tokens the sequence adds
     */
    public void advance(int tokens) {
        tokenOffset += tokens;
    }

    @Override
    public synchronized void onInput(int layer, LinearSlot slot, float[] x, int rows, int width) {
        Accumulator a = slots.computeIfAbsent(layer + "/" + slot, k -> new Accumulator(layer, slot, width));
        for (int r = 0; r < rows; r++) {
            float tokenMax = 0;
            int off = r * width;
            for (int c = 0; c < width; c++) {
                float v = Math.abs(x[off + c]);
                if (v > a.channelMax[c]) {
                    a.channelMax[c] = v;
                }
                tokenMax = Math.max(tokenMax, v);
            }
            a.tokenMax.add(tokenMax);
            if (tokenMax > a.topTokenMax) {
                a.topTokenMax = tokenMax;
                a.topToken = tokenOffset + r;
            }
        }
    }

    /**
     * Summarizes what was observed, in layer and slot order.
     *
     * @param topChannels how many of the largest channels to list per slot
     * @return one summary per layer and slot
     */
    public synchronized List<SlotStatistics> summarize(int topChannels) {
        List<SlotStatistics> out = new ArrayList<>();
        for (Accumulator a : slots.values()) {
            Integer[] order = new Integer[a.channelMax.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (p, q) -> Float.compare(a.channelMax[q], a.channelMax[p]));
            int n = Math.min(topChannels, order.length);
            int[] channels = new int[n];
            float[] maxima = new float[n];
            for (int i = 0; i < n; i++) {
                channels[i] = order[i];
                maxima[i] = a.channelMax[order[i]];
            }
            out.add(
                    new SlotStatistics(
                            a.layer,
                            a.slot,
                            channels,
                            maxima,
                            median(a.channelMax),
                            a.topTokenMax,
                            a.topToken,
                            median(a.tokenMax.toArray())));
        }
        return out;
    }

    private static float median(float[] v) {
        if (v.length == 0) {
            return 0;
        }
        float[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static final class Accumulator {
        final int layer;
        final LinearSlot slot;
        final float[] channelMax;
        final FloatList tokenMax = new FloatList();
        float topTokenMax;
        long topToken = -1;

        Accumulator(int layer, LinearSlot slot, int width) {
            this.layer = layer;
            this.slot = slot;
            this.channelMax = new float[width];
        }
    }

    /** A growable float array, to keep per-token maxima without boxing. */
    private static final class FloatList {
        private float[] data = new float[64];
        private int size;

        void add(float v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, size * 2);
            }
            data[size++] = v;
        }

        float[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
