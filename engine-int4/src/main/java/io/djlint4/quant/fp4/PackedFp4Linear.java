package io.djlint4.quant.fp4;

import io.djlint4.kernels.Fp4Matmul;
import io.djlint4.kernels.Fp4Tokens;
import io.djlint4.kernels.RowGroups;
import io.djlint4.kernels.PackedFp4Matrix;
import io.djlint4.model.LinearLayer;

/**
 * An LLM-FP4 projection on the packed kernels: each input channel pre-shifted by {@code 2^(k_j)}
 * and rounded to FP4 codes with the layer's tensor bias ({@link Fp4Tokens}), times the packed
 * weight whose columns carry {@code 2^(−k_j)} ({@link Fp4Matmul}). The codes are those of the
 * simulated layer, so the two differ only in float summation order. Activation buffers are
 * allocated per call so one model can serve several threads.
 */
final class PackedFp4Linear implements LinearLayer {

    private final PackedFp4Matrix weight;
    private final ActivationBias inputs;
    private final float unit;
    private final float[] bias;

    PackedFp4Linear(PackedFp4Matrix weight, ActivationBias inputs, float[] bias) {
        this.weight = weight;
        this.inputs = inputs;
        this.unit = inputs.unit();
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
        if (rows == 0) {
            return;
        }
        forward(x, RowGroups.single(rows), y);
    }

    /** Inputs are rounded row by row on a static grid; only the product's kernel follows the groups. */
    @Override
    public void forward(float[] x, RowGroups groups, float[] y) {
        int rows = groups.rows();
        Fp4Tokens tokens = new Fp4Tokens(rows, weight.cols(), inputs.format());
        tokens.quantize(x, rows, unit, inputs.shifts());
        Fp4Matmul.matmul(tokens, groups, weight, bias, y);
    }
}
