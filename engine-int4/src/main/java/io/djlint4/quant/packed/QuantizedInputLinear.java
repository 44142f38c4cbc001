package io.djlint4.quant.packed;

import io.djlint4.kernels.Int4IntegerGemm;
import io.djlint4.kernels.Int4Matmul;
import io.djlint4.kernels.PackedInt4Matrix;
import io.djlint4.kernels.QuantizedTokens;
import io.djlint4.kernels.RowGroups;
import io.djlint4.kernels.RuntimeSmoothing;
import io.djlint4.kernels.TokenGroupRounding;
import io.djlint4.kernels.WeightCodeSums;
import io.djlint4.model.LinearLayer;

/**
 * A W·A projection: packed INT4 weights with one grid per output channel or group, and inputs
 * quantized per token, either directly or after runtime smoothing.
 *
 * <p>Per token: the integer GEMM with int32 partial sums ({@link Int4IntegerGemm}); asymmetric codes
 * take their zero points in through the weight's code sums, summed once here. Runtime
 * smoothing (RS/RRS, ALGORITHMS.md §4.2): each sequence's channel maxima, channels sorted and grouped,
 * each group divided by its largest maximum, per-token quantization ({@link RuntimeSmoothing}),
 * then the W4×FP32 product ({@link Int4Matmul}) with what the codes stand for, {@code
 * q·s[t]·r'[c]}, in natural channel order. Grids per group of a token's channels ({@code ag32} …)
 * take that float product too, of the values their codes stand for ({@link TokenGroupRounding}).
 * The gathered integer GEMM of §4.2 ({@link io.djlint4.kernels.RuntimeSmoothGemm}) computes the
 * same sums exactly but decodes and gathers every weight tile per call: here it measured 1.2–3.7× slower at every size tried (4096×4096 and
 * 1536×576, 1 to 128 tokens; {@code bin/int4 kernels --kernels w4a4_rs,w4a4_rs_float}).
 *
 * <p>Activation buffers are allocated per call (small next to the product) so one model can serve
 * several threads.
 */
final class QuantizedInputLinear implements LinearLayer {

    private final PackedInt4Matrix weight;
    private final WeightCodeSums codeSums;
    private final float[] bias;
    private final InputQuantization inputs;
    private final TokenGroupRounding groupRounding;
    private final long weightBits;

    QuantizedInputLinear(PackedInt4Matrix weight, float[] bias, InputQuantization inputs) {
        this(weight, bias, inputs, 8 * weight.packedBytes());
    }

    /**
     * A layer whose packed grids expand coded ones ({@code dq}).
     *
     * @param weight the packed weights
     * @param bias the bias or {@code null}
     * @param inputs how inputs are quantized
     * @param weightBits the bits of the codes and coded grids the packed matrix expands
     */
    QuantizedInputLinear(PackedInt4Matrix weight, float[] bias, InputQuantization inputs, long weightBits) {
        if (inputs.fullPrecision()) {
            throw new IllegalArgumentException("a quantized-input projection needs quantized inputs");
        }
        this.weight = weight;
        this.codeSums = inputs.symmetric() || inputs.smoothGroup() > 0 || inputs.tokenGroup() > 0
                ? null
                : WeightCodeSums.of(weight);
        this.bias = bias;
        this.inputs = inputs;
        this.groupRounding = inputs.tokenGroup() > 0
                ? new TokenGroupRounding(inputs.tokenGroup(), inputs.bits(), inputs.symmetric())
                : null;
        this.weightBits = weightBits;
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
        return weightBits;
    }

    @Override
    public void forward(float[] x, int rows, float[] y) {
        forward(x, RowGroups.single(rows), y);
    }

    /**
     * Per token, rows are quantized on their own and the integer sums are exact on either kernel,
     * so all groups go in one call. Runtime smoothing takes its channel maxima per group, each
     * sequence over its own rows, and the float product picks its kernel per group.
     */
    @Override
    public void forward(float[] x, RowGroups groups, float[] y) {
        int rows = groups.rows();
        int cols = weight.cols();
        if (groupRounding != null) {
            float[] rounded = new float[rows * cols];
            groupRounding.round(x, rows, cols, inputs.clip(), rounded);
            Int4Matmul.matmul(rounded, groups, weight, bias, y);
            return;
        }
        if (inputs.smoothGroup() == 0) {
            QuantizedTokens tokens = new QuantizedTokens(rows, cols, inputs.bits(), inputs.symmetric());
            tokens.quantize(x, rows, inputs.clip());
            Int4IntegerGemm.matmul(tokens, weight, codeSums, bias, y);
            return;
        }
        RuntimeSmoothing smoothing =
                new RuntimeSmoothing(groups.largest(), cols, inputs.smoothGroup(), inputs.bits(), inputs.symmetric());
        float[] smoothed = new float[rows * cols];
        for (int g = 0; g < groups.count(); g++) {
            smoothing.compute(x, groups.start(g), groups.size(g), inputs.clip());
            smoothing.dequantize(smoothed, groups.start(g));
        }
        Int4Matmul.matmul(smoothed, groups, weight, bias, y);
    }
}
