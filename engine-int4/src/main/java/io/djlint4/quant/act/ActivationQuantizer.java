package io.djlint4.quant.act;

/**
 * Replaces each row of a linear layer's input by the values its quantized form stands for: the
 * reference ("fake quantization") semantics that integer kernels must reproduce.
 */
public interface ActivationQuantizer {

    /**
     * Quantizes and dequantizes {@code rows} rows.
     *
     * @param x the input, row-major {@code [rows, width]} (not modified)
     * @param rows the number of rows
     * @param width the row width
     * @param out receives the dequantized rows, same shape
     */
    void apply(float[] x, int rows, int width, float[] out);
}
