package io.djlint4.model;

import io.djlint4.kernels.Bf16Matrix;
import io.djlint4.kernels.Fp32Matmul;
import io.djlint4.kernels.RowGroups;
import io.djlint4.kernels.gguf.Q80Format;

/** A full-precision linear layer over a row-major {@code [out, in]} weight. */
public final class DenseLinear implements LinearLayer {

    private final float[] weight;
    private final float[] bias;
    private final int out;
    private final int in;

    /**
     * Creates the layer; the arrays are used as they are, not copied.
     *
     * @param weight the weight {@code [out, in]}
     * @param bias the bias {@code [out]}, or {@code null}
     * @param out the number of output features
     * @param in the number of input features
     */
    public DenseLinear(float[] weight, float[] bias, int out, int in) {
        if (weight.length != (long) out * in) {
            throw new IllegalArgumentException(
                    "weight has " + weight.length + " values, expected " + out + "x" + in);
        }
        if (bias != null && bias.length != out) {
            throw new IllegalArgumentException(
                    "bias has " + bias.length + " values, expected " + out);
        }
        this.weight = weight;
        this.bias = bias;
        this.out = out;
        this.in = in;
    }

    @Override
    public int inFeatures() {
        return in;
    }

    @Override
    public int outFeatures() {
        return out;
    }

    @Override
    public long weightBits() {
        return 32L * out * in;
    }

    @Override
    public void forward(float[] x, int rows, float[] y) {
        Fp32Matmul.matmul(x, rows, weight, bias, out, in, y);
    }

    /** Every row is its own dot products, whatever the other rows: one call for all groups. */
    @Override
    public void forward(float[] x, RowGroups groups, float[] y) {
        forward(x, groups.rows(), y);
    }

    /**
     * Returns this layer with its weight rounded to bfloat16 (the bias stays float).
     *
     * @return the 16-bit layer
     */
    public Bf16Linear toBf16() {
        return new Bf16Linear(Bf16Matrix.round(weight, out, in), bias);
    }

    /**
     * Returns this layer with its weight rounded to 8 bits per block of 32 as GGUF's Q8_0 (an fp16
     * scale and 32 codes), multiplied on the block kernels: a quarter of the bytes.
     *
     * @return the 8-bit layer
     * @throws IllegalArgumentException when the input size is not a multiple of 32
     */
    public GgufBlockLinear toInt8() {
        if (in % Q80Format.BLOCK_SIZE != 0) {
            throw new IllegalArgumentException("an 8-bit classifier needs a hidden size that is a multiple of "
                    + Q80Format.BLOCK_SIZE + ", got " + in);
        }
        return new GgufBlockLinear(Q80Format.encode(weight, out, in), bias, false);
    }
}
