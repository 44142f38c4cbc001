package io.djlint4.model;

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
     * Applies the layer to {@code rows} rows.
     *
     * @param x the input, row-major {@code [rows, inFeatures]}
     * @param rows the number of rows
     * @param y receives the output, row-major {@code [rows, outFeatures]}
     */
    void forward(float[] x, int rows, float[] y);
}
