package io.djlint4.model;

import io.djlint4.kernels.RowGroups;
import java.util.Arrays;

/**
 * A linear projection {@code y = x · Wᵀ (+ b)} over a batch of rows. The forward pass only sees
 * this interface, so a quantization recipe can swap the full-precision layer for a packed 4-bit
 * one without touching the decoder.
 */
public interface LinearLayer {

    /**
     * Returns the number of input features.
     *
     * @return the input width
     */
    int inFeatures();

    /**
     * Returns the number of output features.
     *
     * @return the output width
     */
    int outFeatures();

    /**
     * Returns the bits the weight matrix occupies as this layer holds it for its products: codes,
     * scales and zero points as stored (4-bit codes packed two to a byte, grids as the kernels keep
     * them), the bias excluded. A layer that simulates quantization with dequantized floats
     * reports the bits of the codes and grids it stands for; one whose grids are themselves coded
     * (double-quantized weights), expanded to floats for its products, reports the coded bits, as
     * a saved model stores them.
     *
     * @return the weight's bits
     */
    long weightBits();

    /**
     * Applies the layer to {@code rows} rows.
     *
     * @param x the input, row-major {@code [rows, inFeatures]}
     * @param rows the number of rows
     * @param y receives the output, row-major {@code [rows, outFeatures]}
     */
    void forward(float[] x, int rows, float[] y);

    /**
     * Applies the layer to rows of several sequences so that each group's results are those it
     * gets alone: what a layer computes over its rows (Runtime Smooth's channel maxima) it takes
     * per group, and a kernel whose float summation order depends on the row count chooses by the
     * group's rows. This default runs {@link #forward(float[], int, float[])} once per group,
     * which is always right; layers that treat every row on its own override it with one call.
     *
     * @param x the input, row-major {@code [groups.rows(), inFeatures]}
     * @param groups the rows, by sequence (a single group is {@link #forward(float[], int,
     *     float[])})
     * @param y receives the output, row-major {@code [groups.rows(), outFeatures]}
     */
    default void forward(float[] x, RowGroups groups, float[] y) {
        if (groups.count() == 1) {
            forward(x, groups.rows(), y);
            return;
        }
        int in = inFeatures();
        int out = outFeatures();
        for (int g = 0; g < groups.count(); g++) {
            int first = groups.start(g);
            int rows = groups.size(g);
            float[] part = new float[rows * out];
            forward(Arrays.copyOfRange(x, first * in, (first + rows) * in), rows, part);
            System.arraycopy(part, 0, y, first * out, rows * out);
        }
    }
}
