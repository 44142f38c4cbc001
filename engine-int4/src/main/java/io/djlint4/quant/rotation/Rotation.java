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
     * Returns the same rotation for float rows at run time. This default rotates each row in
     * float64 and rounds once; implementations may offer faster kernels.
     *
     * @return {@code x ↦ x·M} on every row
     */
    default RowTransform online() {
        int n = size();
        return (x, rows, out) -> {
            double[] row = new double[n];
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < n; i++) {
                    row[i] = x[r * n + i];
                }
                rotate(row, 0);
                for (int i = 0; i < n; i++) {
                    out[r * n + i] = (float) row[i];
                }
            }
        };
    }
}
