package io.djlint4.quant.packed;

import io.djlint4.kernels.PackedInt4Matrix;
import io.djlint4.kernels.RuntimeSmoothGemm;
import io.djlint4.kernels.RuntimeSmoothing;
import io.djlint4.model.LinearLayer;

/**
 * An RS/RRS projection (ALGORITHMS.md §4.2, integer path): the input's channel maxima of this
 * call, channels sorted and grouped, each group divided by its largest maximum, per-token
 * quantization, then the integer GEMM with the group scales applied to the partial sums ({@link
 * RuntimeSmoothGemm}). Weights have one scale per output channel.
 */
final class RuntimeSmoothLinear implements LinearLayer {

    private final PackedInt4Matrix weight;
    private final float[] bias;
    private final InputQuantization inputs;

    RuntimeSmoothLinear(PackedInt4Matrix weight, float[] bias, InputQuantization inputs) {
        this.weight = weight;
        this.bias = bias;
        this.inputs = inputs;
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
    public void forward(float[] x, int rows, float[] y) {
        RuntimeSmoothing smoothed =
                new RuntimeSmoothing(rows, weight.cols(), inputs.smoothGroup(), inputs.bits());
        smoothed.compute(x, rows, inputs.clip());
        RuntimeSmoothGemm.matmul(smoothed, weight, bias, y);
    }
}
