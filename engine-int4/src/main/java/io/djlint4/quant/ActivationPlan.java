package io.djlint4.quant;

import io.djlint4.model.LinearKind;
import io.djlint4.model.LinearSlot;
import java.util.ArrayList;
import java.util.List;

/**
 * The activation width of every linear input of a W·A model, chosen per layer and slot by the
 * recipe token {@code auto} ({@link io.djlint4.quant.calib.ActivationPlanner}): most inputs keep the
 * recipe's width (4 bits for {@code w4a4}), the few whose quantization hurts the layer output most
 * get {@link #WIDE_BITS}. Part of a saved model, with the errors it was chosen by.
 *
 * @param inputs every layer's four inputs, layer by layer in slot order
 */
public record ActivationPlan(List<PlannedInput> inputs) {

    /** The width a planned input gets instead of the recipe's. */
    public static final int WIDE_BITS = 8;

    /**
     * One linear input's width and what the planner measured for it.
     *
     * @param layer the decoder layer
     * @param slot the linear input
     * @param bits its activation width
     * @param narrowError the relative output error of its projections with inputs at the recipe's
     *     width, {@code Σ‖W(x̂ − x)‖² / Σ‖Wx‖²} over the calibration tokens (NaN when not measured)
     * @param wideError the same at {@link #WIDE_BITS}
     */
    public record PlannedInput(int layer, LinearSlot slot, int bits, double narrowError, double wideError) {}

    /** Copies the list and checks that it covers every input once, in order. */
    public ActivationPlan {
        inputs = List.copyOf(inputs);
        int slots = LinearSlot.values().length;
        if (inputs.isEmpty() || inputs.size() % slots != 0) {
            throw new IllegalArgumentException("an activation plan lists the " + slots + " inputs of every layer, got "
                    + inputs.size() + " entries");
        }
        for (int i = 0; i < inputs.size(); i++) {
            PlannedInput p = inputs.get(i);
            if (p.layer() != i / slots || p.slot() != LinearSlot.values()[i % slots]) {
                throw new IllegalArgumentException("activation plan entry " + i + " is layer " + p.layer() + " "
                        + p.slot() + ", expected layer " + i / slots + " " + LinearSlot.values()[i % slots]);
            }
            if (p.bits() < 2 || p.bits() > WIDE_BITS) {
                throw new IllegalArgumentException("activation width " + p.bits() + " of layer " + p.layer() + " "
                        + p.slot() + " is outside 2.." + WIDE_BITS);
            }
        }
    }

    /**
     * Creates a plan that keeps one width everywhere, with nothing measured.
     *
     * @param layers the number of decoder layers
     * @param width the activation width
     * @return the plan
     */
    public static ActivationPlan uniform(int layers, int width) {
        List<PlannedInput> inputs = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            for (LinearSlot slot : LinearSlot.values()) {
                inputs.add(new PlannedInput(l, slot, width, Double.NaN, Double.NaN));
            }
        }
        return new ActivationPlan(inputs);
    }

    /**
     * Returns this plan with every input at one width, the measured errors kept: what a model
     * keeps when the plan does not beat its recipe's uniform width.
     *
     * @param width the activation width
     * @return the plan
     */
    public ActivationPlan withWidth(int width) {
        List<PlannedInput> narrowed = new ArrayList<>();
        for (PlannedInput p : inputs) {
            narrowed.add(new PlannedInput(p.layer(), p.slot(), width, p.narrowError(), p.wideError()));
        }
        return new ActivationPlan(narrowed);
    }

    /**
     * Returns the width of one input.
     *
     * @param layer the decoder layer
     * @param slot the linear input
     * @return its activation width
     */
    public int bits(int layer, LinearSlot slot) {
        return inputs.get(layer * LinearSlot.values().length + slot.ordinal()).bits();
    }

    /**
     * Returns the number of decoder layers.
     *
     * @return the layer count
     */
    public int layers() {
        return inputs.size() / LinearSlot.values().length;
    }

    /**
     * Counts the projections whose input has a width: q, k and v count three for their shared
     * input, gate and up two.
     *
     * @param width the activation width
     * @return the number of projections reading inputs of that width
     */
    public int linearsAt(int width) {
        int n = 0;
        for (PlannedInput p : inputs) {
            if (p.bits() == width) {
                n += linearsReading(p.slot());
            }
        }
        return n;
    }

    /**
     * Returns the number of projections that read one slot's input.
     *
     * @param slot the linear input
     * @return 3 for q/k/v, 2 for gate/up, 1 for o_proj and down_proj
     */
    public static int linearsReading(LinearSlot slot) {
        return LinearKind.readingFrom(slot).size();
    }
}
