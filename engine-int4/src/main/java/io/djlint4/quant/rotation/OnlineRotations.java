package io.djlint4.quant.rotation;

import io.djlint4.model.LinearSlot;
import io.djlint4.model.RowTransform;

/**
 * The rotations a rotated model applies at run time to linear inputs: QuaRot's head-mix in front
 * of {@code o_proj} and R4 in front of {@code down_proj} (§3.4 of ALGORITHMS.md). Calibration and
 * the quantized layers both take them from here, so they see the same inputs.
 *
 * @param oProj the transform of the {@code o_proj} input, or {@code null}
 * @param downProj the transform of the {@code down_proj} input, or {@code null}
 */
public record OnlineRotations(RowTransform oProj, RowTransform downProj) {

    /** No online rotation: an unrotated model. */
    public static final OnlineRotations NONE = new OnlineRotations(null, null);

    /**
     * Returns the transform in front of a slot.
     *
     * @param slot the input slot
     * @return the transform, or {@code null} when the slot's input is used as it is
     */
    public RowTransform forSlot(LinearSlot slot) {
        return switch (slot) {
            case O -> oProj;
            case DOWN -> downProj;
            default -> null;
        };
    }
}
