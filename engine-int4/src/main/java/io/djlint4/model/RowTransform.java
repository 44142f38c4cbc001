package io.djlint4.model;

/** A transform applied to each input row of a linear layer at run time (an online rotation). */
@FunctionalInterface
public interface RowTransform {

    /**
     * Transforms {@code rows} rows.
     *
     * @param x the input, row-major {@code [rows, width]} (not modified)
     * @param rows the number of rows
     * @param out receives the transformed rows, same shape
     */
    void apply(float[] x, int rows, float[] out);
}
