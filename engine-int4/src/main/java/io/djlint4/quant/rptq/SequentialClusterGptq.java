package io.djlint4.quant.rptq;

import io.djlint4.model.DecoderLayer;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.LayerWeights;
import io.djlint4.model.LinearInputObserver;
import io.djlint4.model.LinearKind;
import io.djlint4.model.LinearSlot;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.model.RotaryEmbedding;
import io.djlint4.quant.CalibrationProgress;
import io.djlint4.quant.weight.Gptq;
import io.djlint4.quant.weight.HessianAccumulator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * RPTQ's weights with GPTQ (§7.4): each projection's per-row, per-input-cluster grids are fitted on
 * its original weights, then GPTQ (no act-order) rounds onto those fixed grids with a Hessian built
 * from the projection's <em>quantized</em> inputs, reordered and rounded by the slot's cluster
 * grids. Layers are visited in order, each fed the outputs of the already quantized layers before
 * it, and inside a layer the slots {q, k, v}, {o}, {gate, up}, {down} in turn, each slot's inputs
 * produced with the earlier slots' weights already quantized. Activation grids come from the
 * one-pass calibration on the full-precision model, as without GPTQ.
 */
final class SequentialClusterGptq {

    private final ClusterWeightQuantizer weights;
    private final Gptq gptq;
    private final CalibrationProgress progress;

    /**
     * Creates the runner.
     *
     * @param weights the per-row, per-input-cluster grids
     * @param gptq the error-feedback settings (dampening; act-order off)
     * @param progress hears of each finished layer
     */
    SequentialClusterGptq(ClusterWeightQuantizer weights, Gptq gptq, CalibrationProgress progress) {
        this.weights = weights;
        this.gptq = gptq;
        this.progress = progress;
    }

    /**
     * Quantizes every decoder projection of a reordered model.
     *
     * @param reordered the full-precision weights with the plan fused in
     * @param plan the reorders
     * @param acts the activation quantizer of every slot, {@code [layer][slot.ordinal()]}
     * @param calibration the calibration sequences
     * @return the quantized weights, {@code [layer][kind.ordinal()]}
     */
    ClusteredWeights[][] quantize(
            ModelWeights reordered, ReorderPlan plan, ClusterActivationQuantizer[][] acts, List<long[]> calibration) {
        ModelConfig c = reordered.config();
        RotaryEmbedding rope = reordered.rotaryEmbedding();
        DecoderModel embedder = DecoderModel.fromWeights(reordered);
        float[][] hidden = new float[calibration.size()][];
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = embedder.embed(calibration.get(i));
        }
        ClusteredWeights[][] result = new ClusteredWeights[c.numLayers()][LinearKind.values().length];
        for (int l = 0; l < c.numLayers(); l++) {
            LayerWeights lw = reordered.layers()[l];
            LayerReorder reorder = plan.layer(l);
            Map<LinearKind, float[]> done = new EnumMap<>(LinearKind.class);
            for (LinearSlot slot : LinearSlot.values()) {
                ChannelClusters clusters = reorder.input(slot);
                DecoderLayer current = layer(c, l, lw, plan, acts, done);
                double[] h = hessian(current, l, slot, hidden, c.hiddenSize(), acts[l][slot.ordinal()], clusters, rope);
                for (LinearKind kind : LinearKind.readingFrom(slot)) {
                    ClusteredWeights q = weights.quantize(lw.weight(kind), kind.outFeatures(c), clusters, h, gptq);
                    result[l][kind.ordinal()] = q;
                    done.put(kind, q.dequantize());
                }
            }
            DecoderLayer quantized = layer(c, l, lw, plan, acts, done);
            for (float[] x : hidden) {
                quantized.forward(l, x, request(x.length / c.hiddenSize(), null), rope);
            }
            progress.update("rptq gptq layers", l + 1, c.numLayers());
        }
        return result;
    }

    /** The layer with quantized inputs everywhere and the weights quantized so far. */
    private static DecoderLayer layer(
            ModelConfig c,
            int index,
            LayerWeights lw,
            ReorderPlan plan,
            ClusterActivationQuantizer[][] acts,
            Map<LinearKind, float[]> done) {
        // A calibration-time layer, part float and part dequantized: its footprint is never reported.
        RptqLinears linears = RptqLinears.quantized(
                plan, acts, (layer, kind, weight, out, clusters) -> done.getOrDefault(kind, weight), 0);
        return DecoderLayer.fromWeights(c, index, lw, linears);
    }

    /** {@code H = Σ x̂ᵀx̂} over the slot's inputs as its projections see them: reordered, then rounded. */
    private static double[] hessian(
            DecoderLayer layer,
            int index,
            LinearSlot slot,
            float[][] hidden,
            int hiddenSize,
            ClusterActivationQuantizer act,
            ChannelClusters clusters,
            RotaryEmbedding rope) {
        int width = clusters.width();
        HessianAccumulator acc = new HessianAccumulator(width);
        ChannelGather gather = LayerReorder.gathersInput(slot) ? new ChannelGather(clusters) : null;
        LinearInputObserver observer = (l, s, x, rows, w) -> {
            if (s != slot) {
                return;
            }
            float[] ordered = new float[rows * width];
            if (gather != null) {
                gather.apply(x, rows, ordered);
            } else {
                System.arraycopy(x, 0, ordered, 0, ordered.length);
            }
            act.apply(ordered, rows, width, ordered);
            acc.add(ordered, rows);
        };
        for (float[] x : hidden) {
            layer.forward(index, x.clone(), request(x.length / hiddenSize, observer), rope);
        }
        return acc.hessian();
    }

    /** A single unpadded sequence without cache; the layer reads only its shapes and observer. */
    private static ForwardRequest request(int seqLen, LinearInputObserver observer) {
        return new ForwardRequest(1, seqLen, new long[seqLen], null, null, null, false, observer);
    }
}
