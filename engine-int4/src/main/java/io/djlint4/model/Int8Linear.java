package io.djlint4.model;

import io.djlint4.kernels.RowGroups;
import io.djlint4.kernels.gguf.GgufMatmul;
import io.djlint4.kernels.gguf.GgufMatrix;
import io.djlint4.kernels.gguf.Q80Format;

/**
 * A linear layer with its weight rounded to 8 bits per block of 32 (GGUF's Q8_0: an fp16 scale and
 * 32 signed codes), multiplied by float inputs on the block kernels: the 8-bit classifier of
 * {@link DecoderModel#withInt8LmHead()}, a quarter of the fp32 bytes each decode step reads.
 */
public final class Int8Linear implements LinearLayer {

    private final GgufMatrix weight;
    private final float[] bias;

    /**
     * Rounds a float weight.
     *
     * @param weight the weight {@code [out, in]}, row-major
     * @param bias the bias {@code [out]}, or {@code null}
     * @param out the number of output features
     * @param in the number of input features, a multiple of 32
     * @throws IllegalArgumentException when {@code in} is not a multiple of 32
     */
    public Int8Linear(float[] weight, float[] bias, int out, int in) {
        if (in % Q80Format.BLOCK_SIZE != 0) {
            throw new IllegalArgumentException("an 8-bit classifier needs a hidden size that is a multiple of "
                    + Q80Format.BLOCK_SIZE + ", got " + in);
        }
        if (bias != null && bias.length != out) {
            throw new IllegalArgumentException("bias has " + bias.length + " values, expected " + out);
        }
        this.weight = Q80Format.encode(weight, out, in);
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
        return 8L * weight.rows() * weight.rowBytes();
    }

    @Override
    public void forward(float[] x, int rows, float[] y) {
        GgufMatmul.matmul(x, rows, weight, bias, y);
    }

    /**
     * Groups of at most {@link GgufMatmul#FUSED_MAX_ROWS} rows run together on the one-token
     * kernel, which is what each gets alone, reading the weight once.
     */
    @Override
    public void forward(float[] x, RowGroups groups, float[] y) {
        if (groups.largest() <= GgufMatmul.FUSED_MAX_ROWS) {
            GgufMatmul.matmulRowByRow(x, groups.rows(), weight, bias, y);
        } else {
            LinearLayer.super.forward(x, groups, y);
        }
    }
}
