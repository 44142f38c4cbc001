package io.djlint4.model;

import io.djlint4.kernels.RowGroups;
import io.djlint4.kernels.gguf.GgufMatmul;
import io.djlint4.kernels.gguf.GgufMatrix;
import java.util.Arrays;

/**
 * A projection whose weight is a GGUF tensor's own blocks ({@link GgufMatrix}), multiplied by
 * float inputs or, as llama.cpp does, by inputs rounded to 8 bits per block of 32.
 */
public final class GgufBlockLinear implements LinearLayer {

    private final GgufMatrix weight;
    private final float[] bias;
    private final boolean q8Inputs;

    /**
     * Creates the layer; the weight and bias are used as they are.
     *
     * @param weight the weight {@code [out, in]}
     * @param bias the bias {@code [out]}, or {@code null}
     * @param q8Inputs whether inputs are rounded to 8 bits per block of 32 before the product
     */
    public GgufBlockLinear(GgufMatrix weight, float[] bias, boolean q8Inputs) {
        if (bias != null && bias.length != weight.rows()) {
            throw new IllegalArgumentException("bias has " + bias.length + " values, expected " + weight.rows());
        }
        this.weight = weight;
        this.bias = bias;
        this.q8Inputs = q8Inputs;
    }

    /**
     * Returns the weight.
     *
     * @return the blocks this layer multiplies by
     */
    public GgufMatrix weight() {
        return weight;
    }

    @Override
    public int inFeatures() {
        return weight.cols();
    }

    @Override
    public int outFeatures() {
        return weight.rows();
    }

    @Override
    public long weightBits() {
        return 8L * weight.rows() * weight.rowBytes();
    }

    @Override
    public void forward(float[] x, int rows, float[] y) {
        if (q8Inputs) {
            GgufMatmul.matmulQ8(x, rows, weight, bias, y);
        } else {
            GgufMatmul.matmul(x, rows, weight, bias, y);
        }
    }

    /**
     * Every group runs as it would alone in one pass over the weights: rounding to 8 bits is per
     * row, and groups of at most {@link GgufMatmul#FUSED_MAX_ROWS} rows take the fused row kernels
     * alone too, so they all go in one call (a decode step of many sequences, with the short
     * prompts joining it, reads each weight once instead of once per sequence). Longer groups
     * expand the weights on their own.
     */
    @Override
    public void forward(float[] x, RowGroups groups, float[] y) {
        if (q8Inputs) {
            GgufMatmul.matmulQ8(x, groups.rows(), weight, bias, y);
        } else if (groups.largest() <= GgufMatmul.FUSED_MAX_ROWS) {
            GgufMatmul.matmulRowByRow(x, groups.rows(), weight, bias, y);
        } else {
            forwardMixed(x, groups, y);
        }
    }

    /** Long groups one by one, the short ones gathered into one fused call. */
    private void forwardMixed(float[] x, RowGroups groups, float[] y) {
        int in = weight.cols();
        int out = weight.rows();
        int shortRows = 0;
        for (int g = 0; g < groups.count(); g++) {
            int rows = groups.size(g);
            if (rows > GgufMatmul.FUSED_MAX_ROWS) {
                float[] part = new float[rows * out];
                GgufMatmul.matmul(Arrays.copyOfRange(x, groups.start(g) * in, (groups.start(g) + rows) * in), rows,
                        weight, bias, part);
                System.arraycopy(part, 0, y, groups.start(g) * out, rows * out);
            } else {
                shortRows += rows;
            }
        }
        if (shortRows == 0) {
            return;
        }
        float[] gathered = new float[shortRows * in];
        int at = 0;
        for (int g = 0; g < groups.count(); g++) {
            int rows = groups.size(g);
            if (rows <= GgufMatmul.FUSED_MAX_ROWS) {
                System.arraycopy(x, groups.start(g) * in, gathered, at * in, rows * in);
                at += rows;
            }
        }
        float[] products = new float[shortRows * out];
        GgufMatmul.matmulRowByRow(gathered, shortRows, weight, bias, products);
        at = 0;
        for (int g = 0; g < groups.count(); g++) {
            int rows = groups.size(g);
            if (rows <= GgufMatmul.FUSED_MAX_ROWS) {
                System.arraycopy(products, at * out, y, groups.start(g) * out, rows * out);
                at += rows;
            }
        }
    }
}
