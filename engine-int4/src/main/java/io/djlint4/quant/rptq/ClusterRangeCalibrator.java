package io.djlint4.quant.rptq;

import io.djlint4.model.LinearInputObserver;
import io.djlint4.model.LinearSlot;

/**
 * Calibrates the range of every activation cluster the way the official code does ("ema_minmax",
 * §7.4, {@link EmaClusterRanges}), one observed call per calibration sequence. It observes the
 * original, not reordered, model and finds each cluster's channels through the plan.
 */
public final class ClusterRangeCalibrator implements LinearInputObserver {

    private final ReorderPlan plan;
    private final EmaClusterRanges[][] ranges;

    /**
     * Creates a calibrator with no ranges yet.
     *
     * @param plan the reorders whose clusters are calibrated
     * @param momentum the weight of the running range at each update
     */
    public ClusterRangeCalibrator(ReorderPlan plan, double momentum) {
        int layers = plan.layers().length;
        this.plan = plan;
        this.ranges = new EmaClusterRanges[layers][LinearSlot.values().length];
        for (int l = 0; l < layers; l++) {
            for (LinearSlot slot : LinearSlot.values()) {
                ranges[l][slot.ordinal()] = new EmaClusterRanges(plan.layer(l).input(slot), momentum);
            }
        }
    }

    @Override
    public void onInput(int layer, LinearSlot slot, float[] x, int rows, int width) {
        EmaClusterRanges r = ranges[layer][slot.ordinal()];
        if (r.width() != width) {
            throw new IllegalArgumentException(
                    "layer " + layer + " " + slot + " input has " + width + " channels, the plan " + r.width());
        }
        r.update(x, rows);
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
        return observed(layer, slot).ranges();
    }

    /**
     * Builds the quantizer of one slot from its calibrated ranges.
     *
     * @param layer the decoder layer
     * @param slot the slot
     * @param grid the grid to fit to each cluster
     * @return the quantizer for reordered rows
     * @throws IllegalStateException if the slot was never observed
     */
    public ClusterActivationQuantizer quantizer(int layer, LinearSlot slot, ClusterGrid grid) {
        return new ClusterActivationQuantizer(grid, plan.layer(layer).input(slot), observed(layer, slot).fit(grid));
    }

    private EmaClusterRanges observed(int layer, LinearSlot slot) {
        EmaClusterRanges r = ranges[layer][slot.ordinal()];
        if (!r.calibrated()) {
            throw new IllegalStateException("no calibration input was observed for layer " + layer + " " + slot);
        }
        return r;
    }
}
