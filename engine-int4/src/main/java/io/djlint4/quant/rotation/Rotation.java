package io.djlint4.quant.rotation;

import io.djlint4.model.RowTransform;

/**
 * An orthogonal matrix {@code M} of order {@link #size()}, applied to row vectors: {@code x ← x·M}.
 * Every use in rotation fusion reduces to this: consumers' weight rows ({@code W·M}), producers'
 * weight columns ({@code Mᵀ·c}, the same as {@code cᵀ·M}), biases and embedding rows.
 */
public interface Rotation {

    /**
     * Returns the order.
     *
     * @return the matrix size
     */
    int size();

    /**
     * Rotates one row vector in place, in float64.
     *
     * @param x the array holding the vector
     * @param off offset of the vector
     */
    void rotate(double[] x, int off);

    /**
     * Returns the same rotation for float rows at run time.
     *
     * @return {@code x ↦ x·M} on every row
     */
    RowTransform online();
}
