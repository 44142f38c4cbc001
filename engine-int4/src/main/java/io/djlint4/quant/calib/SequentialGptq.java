package io.djlint4.quant.calib;

import io.djlint4.model.LinearKind;
import io.djlint4.model.LinearSlot;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.model.RotaryEmbedding;
import io.djlint4.quant.CalibrationProgress;
import io.djlint4.quant.weight.Gptq;
import io.djlint4.quant.weight.DoubleQuantizer;
import io.djlint4.quant.weight.QuantizedMatrix;
import io.djlint4.quant.rotation.OnlineRotations;

/**
 * GPTQ over a whole model the way the rotation papers' code runs it (§2.3 of ALGORITHMS.md): layer
 * by layer, each layer fed the outputs of the already weight-quantized layers before it, and
 * inside a layer four sequential groups {q, k, v}, {o}, {gate, up}, {down}, each group's Hessian
 * collected after the earlier groups were quantized ("true sequential"). Activations stay in full
 * precision throughout. The residual streams of all sequences are kept between layers, and inside a
 * layer each sub-block runs once over the calibration set, as soon as the projections before it
 * are quantized (the norm, attention with the quantized q/k/v, o_proj and the norm, gate/up and
 * SwiGLU, down_proj), so the model is never re-run from the start and a layer costs about one
 * forward pass over the set.
 */
public final class SequentialGptq {

    private final Gptq gptq;
    private final DoubleQuantizer fixedGrids;
    private final CalibrationProgress progress;

    /**
     * Creates the runner.
     *
     * @param gptq the per-matrix quantizer (grid, groups, act-order, dampening)
     */
    public SequentialGptq(Gptq gptq) {
        this(gptq, null, CalibrationProgress.NONE);
    }

    /**
     * Creates the runner that reports each finished layer.
     *
     * @param gptq the per-matrix quantizer (grid, groups, act-order, dampening)
     * @param fixedGrids fits the grids GPTQ rounds onto on each matrix's weights first ({@code dq}),
     *     or {@code null} for GPTQ's own integer grids
     * @param progress hears of each finished layer
     */
    public SequentialGptq(Gptq gptq, DoubleQuantizer fixedGrids, CalibrationProgress progress) {
        this.gptq = gptq;
        this.fixedGrids = fixedGrids;
        this.progress = progress;
    }

    /**
     * Quantizes every decoder projection.
     *
     * @param weights the full-precision weights, already rotated when the recipe rotates (not
     *     modified)
     * @param online the online rotations of the rotated model ({@link OnlineRotations#NONE} when
     *     unrotated)
     * @param calib the calibration sequences
     * @return the quantized projections
     */
    public QuantizedLinears quantize(ModelWeights weights, OnlineRotations online, CalibrationSet calib) {
        ModelConfig c = weights.config();
        RotaryEmbedding rope = weights.rotaryEmbedding();
        QuantizedLinears result = new QuantizedLinears(c.numLayers());
        float[][] hidden = CalibrationLayer.embeddings(weights, calib);
        for (int l = 0; l < c.numLayers(); l++) {
            CalibrationLayer layer = new CalibrationLayer(c, l, weights.layers()[l], online, rope);
            // Each sub-block runs once, on the weights quantized before it.
            float[][] qkvIn = layer.attentionInputs(hidden);
            layer = quantizeSlot(layer, l, LinearSlot.QKV, qkvIn, result);
            float[][] oIn = layer.oInputs(qkvIn);
            qkvIn = null;
            layer = quantizeSlot(layer, l, LinearSlot.O, oIn, result);
            float[][] mid = layer.plusProjection(hidden, LinearKind.O, oIn);
            oIn = null;
            float[][] gateUpIn = layer.mlpInputs(mid);
            layer = quantizeSlot(layer, l, LinearSlot.GATE_UP, gateUpIn, result);
            float[][] downIn = layer.downInputs(gateUpIn);
            gateUpIn = null;
            layer = quantizeSlot(layer, l, LinearSlot.DOWN, downIn, result);
            hidden = layer.plusProjection(mid, LinearKind.DOWN, downIn);
            progress.update("gptq layers", l + 1, c.numLayers());
        }
        return result;
    }

    /** Quantizes a slot's projections on the Hessian of its inputs; returns the layer with them replaced. */
    private CalibrationLayer quantizeSlot(
            CalibrationLayer layer, int l, LinearSlot slot, float[][] inputs, QuantizedLinears result) {
        ModelConfig c = layer.config();
        double[] h = null;
        for (LinearKind kind : LinearKind.readingFrom(slot)) {
            int in = kind.inFeatures(c);
            if (h == null) {
                h = SlotHessian.of(layer.asSeen(slot, inputs, in), in);
            }
            float[] w = layer.weights().weight(kind);
            int out = kind.outFeatures(c);
            QuantizedMatrix q = fixedGrids == null
                    ? gptq.quantize(w, out, in, h)
                    : gptq.quantize(w, out, in, h, fixedGrids.quantize(w, out, in));
            result.put(l, kind, q);
            layer = layer.with(kind, QuantizedLinears.requireFinite(l, kind, q.dequantize()));
        }
        return layer;
    }

}
