package io.djlint4.model;

import io.djlint4.kernels.Bf16Matmul;
import io.djlint4.kernels.Bf16Matrix;
import io.djlint4.kernels.RowGroups;

/**
 * A linear layer with its weight stored in bfloat16 and float inputs and outputs: the 16-bit
 * classifier of {@link DecoderModel#withBf16LmHead()}.
 */
public final class Bf16Linear implements LinearLayer {

    private final Bf16Matrix weight;
    private final float[] bias;

    /**
     * Creates the layer.
     *
     * @param weight the weight {@code [out, in]}
     * @param bias the bias {@code [out]}, or {@code null}
     */
    public Bf16Linear(Bf16Matrix weight, float[] bias) {
        if (bias != null && bias.length != weight.rows()) {
            throw new IllegalArgumentException("bias has " + bias.length + " values, expected " + weight.rows());
        }
        this.weight = weight;
        this.bias = bias;
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
        return 8 * weight.packedBytes();
    }

    @Override
    public void forward(float[] x, int rows, float[] y) {
        Bf16Matmul.matmul(x, rows, weight, bias, y);
    }

    /** Every row is its own dot products, whatever the other rows: one call for all groups. */
    @Override
    public void forward(float[] x, RowGroups groups, float[] y) {
        forward(x, groups.rows(), y);
    }
}
