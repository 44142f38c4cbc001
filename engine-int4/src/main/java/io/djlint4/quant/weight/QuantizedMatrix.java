package io.djlint4.quant.weight;

/**
 * A weight matrix {@code [rows, cols]} held as integer codes and grids in one of the two {@link
 * GroupLayout}s (groups along a row: integer grids, or {@link DoubleQuantizedWeights}): what calibration hands to the model builder, which either runs the dequantized
 * weights (the simulated path) or packs the codes for a kernel.
 */
public sealed interface QuantizedMatrix permits QuantizedWeights, PerIcQuantizedWeights, DoubleQuantizedWeights {

    /**
     * Returns the number of output channels.
     *
     * @return N
     */
    int rows();

    /**
     * Returns the number of input channels.
     *
     * @return K
     */
    int cols();

    /**
     * Returns the way weights sharing a grid run.
     *
     * @return the layout
     */
    GroupLayout layout();

    /**
     * Returns the full-precision matrix the codes stand for.
     *
     * @return the dequantized weights, row-major {@code [rows, cols]}
     */
    float[] dequantize();

    /**
     * Returns the bits of the matrix held as compactly as its codes allow: each code at the grid's
     * width, and per grid a 32-bit scale and, when the grid is asymmetric, a 32-bit zero point (as
     * the packed kernels keep them). For 4-bit codes this is what the packed matrix holds.
     *
     * @return the bits
     */
    long storedBits();
}
