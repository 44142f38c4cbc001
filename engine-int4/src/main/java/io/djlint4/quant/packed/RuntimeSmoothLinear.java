package io.djlint4.quant.packed;

import io.djlint4.kernels.PackedInt4Matrix;
import io.djlint4.kernels.Int4Matmul;
import io.djlint4.kernels.RuntimeSmoothing;
import io.djlint4.model.LinearLayer;

/**
 * An RS/RRS projection (ALGORITHMS.md §4.2): the input's channel maxima of this call, channels
 * sorted and grouped, each group divided by its largest maximum, per-token quantization ({@link
 * RuntimeSmoothing}), then the product of the packed weights with what the codes stand for, {@code
 * q·s[t]·r'[c]} in natural channel order, on the W4×FP32 kernel ({@link Int4Matmul}). The gathered
 * integer GEMM of §4.2 ({@link io.djlint4.kernels.RuntimeSmoothGemm}) computes the same sums
 * exactly, but decodes and gathers every weight tile per call: on this project's CPUs it measured
 * 1.2–3.7× slower than this path at every size tried (4096×4096 and 1536×576, 1 to 128 tokens).
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
        Int4Matmul.matmul(smoothed.dequantize(), rows, weight, bias, y);
    }
}
