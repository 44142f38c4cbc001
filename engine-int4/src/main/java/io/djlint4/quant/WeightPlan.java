package io.djlint4.quant;

import io.djlint4.model.LinearKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The weight group size of every projection of a weight-only model, chosen by the recipe token
 * {@code auto} under a budget of bits per weight ({@link io.djlint4.quant.calib.WeightPlanner}).
 * Part of a saved model, with what each choice was measured to cost.
 *
 * @param weights every layer's seven projections, layer by layer in {@link LinearKind} order
 */
public record WeightPlan(List<PlannedWeight> weights) {

    /**
     * One projection's choice.
     *
     * @param layer the decoder layer
     * @param kind the projection
     * @param groupSize weights per grid along a row (at most the row's length)
     * @param bits the bits the projection's codes and grids take at that group size
     * @param error its relative output error at that group size, {@code Σ_k E[x_k²]·‖Ŵ[:,k] −
     *     W[:,k]‖² / Σ_k E[x_k²]·‖W[:,k]‖²} over the calibration tokens
     * @param startError the same at the recipe's own group size
     */
    public record PlannedWeight(
            int layer, LinearKind kind, int groupSize, long bits, double error, double startError) {}

    /** Copies the list and checks that it covers every projection once, in order. */
    public WeightPlan {
        weights = List.copyOf(weights);
        int kinds = LinearKind.values().length;
        if (weights.isEmpty() || weights.size() % kinds != 0) {
            throw new IllegalArgumentException("a weight plan lists the " + kinds + " projections of every layer, got "
                    + weights.size() + " entries");
        }
        for (int i = 0; i < weights.size(); i++) {
            PlannedWeight p = weights.get(i);
            if (p == null || p.layer() != i / kinds || p.kind() != LinearKind.values()[i % kinds]) {
                throw new IllegalArgumentException("weight plan entry " + i + " is " + describe(p) + ", expected layer "
                        + i / kinds + " " + LinearKind.values()[i % kinds]);
            }
            if (p.groupSize() < 1 || p.bits() < 1) {
                throw new IllegalArgumentException("weight plan entry " + i + " has groups of " + p.groupSize()
                        + " and " + p.bits() + " bits");
            }
        }
    }

    private static String describe(PlannedWeight p) {
        return p == null ? "missing" : "layer " + p.layer() + " " + p.kind();
    }

    /**
     * Returns the group size of one projection.
     *
     * @param layer the decoder layer
     * @param kind the projection
     * @return its weights per grid
     */
    public int groupSize(int layer, LinearKind kind) {
        return weights.get(layer * LinearKind.values().length + kind.ordinal()).groupSize();
    }

    /**
     * Returns the number of decoder layers.
     *
     * @return the layer count
     */
    public int layers() {
        return weights.size() / LinearKind.values().length;
    }

    /**
     * Returns the bits of every projection together.
     *
     * @return the sum of {@link PlannedWeight#bits()}
     */
    public long totalBits() {
        long sum = 0;
        for (PlannedWeight p : weights) {
            sum += p.bits();
        }
        return sum;
    }

    /**
     * Returns this plan with every projection at its start: what a model keeps when the plan does
     * not beat the recipe's own group size.
     *
     * @param startGroups each projection's group size at the recipe's own groups, in plan order
     * @param startBits the bits of each projection at them, in plan order
     * @return the plan
     */
    public WeightPlan atStart(int[] startGroups, long[] startBits) {
        List<PlannedWeight> start = new ArrayList<>();
        for (int i = 0; i < weights.size(); i++) {
            PlannedWeight p = weights.get(i);
            start.add(new PlannedWeight(
                    p.layer(), p.kind(), startGroups[i], startBits[i], p.startError(), p.startError()));
        }
        return new WeightPlan(start);
    }
}
