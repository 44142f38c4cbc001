package io.djlint4.quant.act;

import io.djlint4.kernels.RowGroups;
import java.util.Arrays;

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

    /**
     * Quantizes and dequantizes rows of several sequences, each group as if alone. This default
     * applies {@link #apply(float[], int, int, float[])} once per group, right for quantizers with
     * statistics over rows (Runtime Smooth); those that treat every row on its own override it
     * with one call.
     *
     * @param x the input, row-major {@code [groups.rows(), width]} (not modified)
     * @param groups the rows, by sequence
     * @param width the row width
     * @param out receives the dequantized rows, same shape
     */
    default void apply(float[] x, RowGroups groups, int width, float[] out) {
        if (groups.count() == 1) {
            apply(x, groups.rows(), width, out);
            return;
        }
        for (int g = 0; g < groups.count(); g++) {
            int from = groups.start(g) * width;
            int to = from + groups.size(g) * width;
            float[] part = new float[to - from];
            apply(Arrays.copyOfRange(x, from, to), groups.size(g), width, part);
            System.arraycopy(part, 0, out, from, part.length);
        }
    }
}
