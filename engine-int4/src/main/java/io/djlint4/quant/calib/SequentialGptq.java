package io.djlint4.quant.calib;

import io.djlint4.model.LinearKind;
import io.djlint4.model.LinearSlot;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.model.RotaryEmbedding;
import io.djlint4.quant.CalibrationProgress;
import io.djlint4.quant.weight.Gptq;
import io.djlint4.quant.weight.QuantizedWeights;
import io.djlint4.quant.rotation.OnlineRotations;
import java.util.EnumSet;
import java.util.Set;

/**
 * GPTQ over a whole model the way the rotation papers' code runs it (§2.3 of ALGORITHMS.md): layer
 * by layer, each layer fed the outputs of the already weight-quantized layers before it, and
 * inside a layer four sequential groups {q, k, v}, {o}, {gate, up}, {down}, each group's Hessian
 * collected after the earlier groups were quantized ("true sequential"). Activations stay in full
 * precision throughout. The residual streams of all sequences are kept between layers, so each
 * layer runs five times over the calibration set (once per group, once for its output) and the
 * model is never re-run from the start.
 */
public final class SequentialGptq {

    private final Gptq gptq;
    private final CalibrationProgress progress;

    /**
     * Creates the runner.
     *
     * @param gptq the per-matrix quantizer (grid, groups, act-order, dampening)
     */
    public SequentialGptq(Gptq gptq) {
        this(gptq, CalibrationProgress.NONE);
    }

    /**
     * Creates the runner that reports each finished layer.
     *
     * @param gptq the per-matrix quantizer (grid, groups, act-order, dampening)
     * @param progress hears of each finished layer
     */
    public SequentialGptq(Gptq gptq, CalibrationProgress progress) {
        this.gptq = gptq;
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
            for (LinearSlot slot : LinearSlot.values()) {
                float[][] inputs = layer.run(hidden, Set.of(slot)).inputs().get(slot);
                double[] h = null;
                for (LinearKind kind : kindsOf(slot)) {
                    int in = kind.inFeatures(c);
                    if (h == null) {
                        h = SlotHessian.of(inputs, in);
                    }
                    QuantizedWeights q = gptq.quantize(layer.weights().weight(kind), kind.outFeatures(c), in, h);
                    result.put(l, kind, q);
                    layer = layer.with(kind, QuantizedLinears.requireFinite(l, kind, q.dequantize()));
                }
            }
            hidden = layer.run(hidden, EnumSet.noneOf(LinearSlot.class)).output();
            progress.update("gptq layers", l + 1, c.numLayers());
        }
        return result;
    }

    private static EnumSet<LinearKind> kindsOf(LinearSlot slot) {
        EnumSet<LinearKind> kinds = EnumSet.noneOf(LinearKind.class);
        for (LinearKind k : LinearKind.values()) {
            if (k.slot() == slot) {
                kinds.add(k);
            }
        }
        return kinds;
    }
}
