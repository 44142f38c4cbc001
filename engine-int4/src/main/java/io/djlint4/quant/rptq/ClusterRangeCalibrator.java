package io.djlint4.quant.rptq;

import io.djlint4.model.LinearInputObserver;
import io.djlint4.model.LinearSlot;
import io.djlint4.quant.weight.QuantParams;

/**
 * Calibrates the range of every activation cluster the way the official code does ("ema_minmax",
 * §7.4): each observed call (one calibration sequence) yields the cluster's minimum and maximum
 * over its tokens and channels; the first call sets the range, later ones move it by {@code 1 -
 * momentum} towards theirs. It observes the original, not reordered, model and finds each
 * cluster's channels through the plan.
 */
public final class ClusterRangeCalibrator implements LinearInputObserver {

    private final ReorderPlan plan;
    private final double momentum;
    private final float[][][] lo;
    private final float[][][] hi;

    /**
     * Creates a calibrator with no ranges yet.
     *
     * @param plan the reorders whose clusters are calibrated
     * @param momentum the weight of the running range at each update
     */
    public ClusterRangeCalibrator(ReorderPlan plan, double momentum) {
        int layers = plan.layers().length;
        int slots = LinearSlot.values().length;
        this.plan = plan;
        this.momentum = momentum;
        this.lo = new float[layers][slots][];
        this.hi = new float[layers][slots][];
    }

    @Override
    public void onInput(int layer, LinearSlot slot, float[] x, int rows, int width) {
        ChannelClusters clusters = plan.layer(layer).input(slot);
        if (clusters.width() != width) {
            throw new IllegalArgumentException(
                    "layer " + layer + " " + slot + " input has " + width + " channels, the plan " + clusters.width());
        }
        int[] perm = clusters.perm();
        int[] starts = clusters.starts();
        int k = clusters.clusterCount();
        float[] callLo = new float[k];
        float[] callHi = new float[k];
        for (int c = 0; c < k; c++) {
            float mn = Float.POSITIVE_INFINITY;
            float mx = Float.NEGATIVE_INFINITY;
            for (int r = 0; r < rows; r++) {
                int off = r * width;
                for (int j = starts[c]; j < starts[c + 1]; j++) {
                    float v = x[off + perm[j]];
                    mn = Math.min(mn, v);
                    mx = Math.max(mx, v);
                }
            }
            callLo[c] = mn;
            callHi[c] = mx;
        }
        int s = slot.ordinal();
        if (lo[layer][s] == null) {
            lo[layer][s] = callLo;
            hi[layer][s] = callHi;
            return;
        }
        for (int c = 0; c < k; c++) {
            lo[layer][s][c] = (float) (momentum * lo[layer][s][c] + (1 - momentum) * callLo[c]);
            hi[layer][s][c] = (float) (momentum * hi[layer][s][c] + (1 - momentum) * callHi[c]);
        }
    }

    /**
     * Returns the calibrated ranges of one slot's clusters.
     *
     * @param layer the decoder layer
     * @param slot the slot
     * @return {@code [2][clusters]}: minima, then maxima
     * @throws IllegalStateException if the slot was never observed
     */
    public float[][] ranges(int layer, LinearSlot slot) {
        int s = slot.ordinal();
        if (lo[layer][s] == null) {
            throw new IllegalStateException("no calibration input was observed for layer " + layer + " " + slot);
        }
        return new float[][] {lo[layer][s].clone(), hi[layer][s].clone()};
    }

    /**
     * Builds the quantizer of one slot from its calibrated ranges.
     *
     * @param layer the decoder layer
     * @param slot the slot
     * @param grid the grid to fit to each cluster
     * @return the quantizer for reordered rows
     */
    public ClusterActivationQuantizer quantizer(int layer, LinearSlot slot, ClusterGrid grid) {
        float[][] r = ranges(layer, slot);
        QuantParams[] params = new QuantParams[r[0].length];
        for (int c = 0; c < params.length; c++) {
            params[c] = grid.fit(r[0][c], r[1][c]);
        }
        return new ClusterActivationQuantizer(grid, plan.layer(layer).input(slot), params);
    }
}
