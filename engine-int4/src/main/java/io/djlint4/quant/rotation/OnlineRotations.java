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

    /**
     * Returns a slot's input as the projections behind the slot see it.
     *
     * @param slot the input slot
     * @param x the input, row-major {@code [rows, width]}; not modified
     * @param rows the number of rows
     * @param width the row length
     * @return {@code x} itself when no transform is in front of the slot, else a transformed copy
     */
    public float[] asSeen(LinearSlot slot, float[] x, int rows, int width) {
        RowTransform transform = forSlot(slot);
        if (transform == null) {
            return x;
        }
        float[] seen = new float[rows * width];
        transform.apply(x, rows, seen);
        return seen;
    }
}
