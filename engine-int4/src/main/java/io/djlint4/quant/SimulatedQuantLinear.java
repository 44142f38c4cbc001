package io.djlint4.quant;

import io.djlint4.kernels.Fp32Matmul;
import io.djlint4.kernels.RowGroups;
import io.djlint4.model.LinearLayer;
import io.djlint4.model.RowTransform;
import io.djlint4.quant.act.ActivationQuantizer;

/**
 * A quantized linear layer computed the way the papers' reference code does: online transform (if
 * any), then activation quantize-dequantize (if any), then a float product with the dequantized
 * weights. It is the accuracy reference the packed integer kernels are held to.
 */
public final class SimulatedQuantLinear implements LinearLayer {

    private final RowTransform transform;
    private final ActivationQuantizer activations;
    private final float[] weight;
    private final float[] bias;
    private final int out;
    private final int in;
    private final long weightBits;

    /**
     * Creates the layer.
     *
     * @param transform applied to input rows first, or {@code null}
     * @param activations the activation quantizer, or {@code null} for full-precision activations
     * @param dequantizedWeight the weights after quantization, {@code [out, in]}
     * @param bias the bias, or {@code null}
     * @param out the number of output features
     * @param in the number of input features
     * @param weightBits the bits of the codes and grids the weights were dequantized from (what
     *     {@link #weightBits()} reports), {@code 32·out·in} for weights that stay full precision
     */
    public SimulatedQuantLinear(
            RowTransform transform,
            ActivationQuantizer activations,
            float[] dequantizedWeight,
            float[] bias,
            int out,
            int in,
            long weightBits) {
        if (dequantizedWeight.length != (long) out * in) {
            throw new IllegalArgumentException(
                    "weight has " + dequantizedWeight.length + " values, expected " + out + "x" + in);
        }
        this.transform = transform;
        this.activations = activations;
        this.weight = dequantizedWeight;
        this.bias = bias;
        this.out = out;
        this.in = in;
        this.weightBits = weightBits;
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
        return weightBits;
    }

    @Override
    public void forward(float[] x, int rows, float[] y) {
        forward(x, RowGroups.single(rows), y);
    }

    /** Transform and float product work row by row; only the activation quantizer needs the groups. */
    @Override
    public void forward(float[] x, RowGroups groups, float[] y) {
        int rows = groups.rows();
        float[] a = x;
        if (transform != null) {
            a = new float[rows * in];
            transform.apply(x, rows, a);
        }
        if (activations != null) {
            float[] q = new float[rows * in];
            activations.apply(a, groups, in, q);
            a = q;
        }
        Fp32Matmul.matmul(a, rows, weight, bias, out, in, y);
    }
}
