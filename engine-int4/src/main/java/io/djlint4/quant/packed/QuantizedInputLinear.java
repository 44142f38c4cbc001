package io.djlint4.quant.packed;

import io.djlint4.kernels.Int4IntegerGemm;
import io.djlint4.kernels.Int4Matmul;
import io.djlint4.kernels.PackedInt4Matrix;
import io.djlint4.kernels.QuantizedTokens;
import io.djlint4.kernels.RuntimeSmoothing;
import io.djlint4.model.LinearLayer;

/**
 * A W·A projection: packed INT4 weights with one grid per output channel or group, and inputs
 * quantized per token, either directly or after runtime smoothing.
 *
 * <p>Per token: the integer GEMM with int32 partial sums ({@link Int4IntegerGemm}). Runtime
 * smoothing (RS/RRS, ALGORITHMS.md §4.2): the call's channel maxima, channels sorted and grouped,
 * each group divided by its largest maximum, per-token quantization ({@link RuntimeSmoothing}),
 * then the W4×FP32 product ({@link Int4Matmul}) with what the codes stand for, {@code
 * q·s[t]·r'[c]}, in natural channel order. The gathered integer GEMM of §4.2 ({@link
 * io.djlint4.kernels.RuntimeSmoothGemm}) computes the same sums exactly but decodes and gathers
 * every weight tile per call: here it measured 1.2–3.7× slower at every size tried (4096×4096 and
 * 1536×576, 1 to 128 tokens; {@code bin/int4 kernels --kernels w4a4_rs,w4a4_rs_float}).
 *
 * <p>Activation buffers are allocated per call (small next to the product) so one model can serve
 * several threads.
 */
final class QuantizedInputLinear implements LinearLayer {

    private final PackedInt4Matrix weight;
    private final float[] bias;
    private final InputQuantization inputs;

    QuantizedInputLinear(PackedInt4Matrix weight, float[] bias, InputQuantization inputs) {
        if (inputs.fullPrecision()) {
            throw new IllegalArgumentException("a quantized-input projection needs quantized inputs");
        }
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
        if (inputs.smoothGroup() == 0) {
            QuantizedTokens tokens = new QuantizedTokens(rows, weight.cols(), inputs.bits());
            tokens.quantize(x, rows, inputs.clip());
            Int4IntegerGemm.matmul(tokens, weight, bias, y);
            return;
        }
        RuntimeSmoothing smoothed = new RuntimeSmoothing(rows, weight.cols(), inputs.smoothGroup(), inputs.bits());
        smoothed.compute(x, rows, inputs.clip());
        Int4Matmul.matmul(smoothed.dequantize(), rows, weight, bias, y);
    }
}
