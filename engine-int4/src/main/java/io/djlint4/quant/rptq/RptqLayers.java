package io.djlint4.quant.rptq;

import io.djlint4.model.DecoderModel;
import io.djlint4.model.KvCacheScheme;
import io.djlint4.model.LinearKind;
import io.djlint4.model.LinearSlot;
import io.djlint4.model.ModelWeights;

/**
 * Everything RPTQ's calibration decided for a model: with the reordered full-precision embedding,
 * norms and biases they rebuild the model without calibration, as a saved model does.
 *
 * @param plan the channel reorders, fused into the weights
 * @param activations the static per-cluster quantizer of every linear input, indexed {@code
 *     [layer][slot.ordinal()]}
 * @param weights the per-row, per-cluster weight codes of every projection, indexed {@code
 *     [layer][kind.ordinal()]}, or {@code null} when weights stay in full precision
 * @param kv the static per-cluster cache quantizer of every layer ({@code kv4}), or {@code null}
 *     for a full-precision cache
 */
public record RptqLayers(
        ReorderPlan plan, ClusterActivationQuantizer[][] activations, ClusteredWeights[][] weights, ClusterKvQuantizer[] kv) {

    /** Checks the counts and copies the arrays so the layers cannot change under their users. */
    public RptqLayers {
        int layers = plan.layers().length;
        activations = copy(activations, layers, LinearSlot.values().length, "activation quantizers");
        if (weights != null) {
            weights = copy(weights, layers, LinearKind.values().length, "weights");
        }
        if (kv != null) {
            if (kv.length != layers) {
                throw new IllegalArgumentException(kv.length + " cache quantizers for " + layers + " layers");
            }
            kv = kv.clone();
        }
    }

    private static <T> T[][] copy(T[][] a, int layers, int perLayer, String what) {
        if (a.length != layers) {
            throw new IllegalArgumentException(a.length + " layers of " + what + " for " + layers + " layers");
        }
        T[][] out = a.clone();
        for (int l = 0; l < layers; l++) {
            if (a[l].length != perLayer) {
                throw new IllegalArgumentException("layer " + l + " has " + a[l].length + " " + what + ", not " + perLayer);
            }
            out[l] = a[l].clone();
        }
        return out;
    }

    /**
     * Returns one slot's activation quantizer.
     *
     * @param layer the decoder layer
     * @param slot the slot
     * @return its quantizer
     */
    public ClusterActivationQuantizer activation(int layer, LinearSlot slot) {
        return activations[layer][slot.ordinal()];
    }

    /**
     * Returns one projection's weight codes.
     *
     * @param layer the decoder layer
     * @param kind the projection
     * @return its codes and grids, or {@code null} when weights stay in full precision
     */
    public ClusteredWeights weight(int layer, LinearKind kind) {
        return weights == null ? null : weights[layer][kind.ordinal()];
    }

    /**
     * Returns one layer's cache quantizer.
     *
     * @param layer the decoder layer
     * @return its quantizer, or {@code null} for a full-precision cache
     */
    public ClusterKvQuantizer kv(int layer) {
        return kv == null ? null : kv[layer];
    }

    @Override
    public ClusterActivationQuantizer[][] activations() {
        return copy(activations, activations.length, LinearSlot.values().length, "activation quantizers");
    }

    @Override
    public ClusteredWeights[][] weights() {
        return weights == null ? null : copy(weights, weights.length, LinearKind.values().length, "weights");
    }

    @Override
    public ClusterKvQuantizer[] kv() {
        return kv == null ? null : kv.clone();
    }

    /**
     * Builds the runnable (simulated) model; the quantizer and a saved model's reader both build
     * it here, so the two are the same model.
     *
     * @param reordered the weights with the plan fused in; projection weights are read only when
     *     {@link #weights()} is {@code null}
     * @return the model
     */
    public DecoderModel model(ModelWeights reordered) {
        RptqLinears linears = weights == null
                ? RptqLinears.quantized(plan, activations, (ClusterWeightQuantizer) null)
                : RptqLinears.quantized(plan, activations,
                        (layer, kind, weight, out, clusters) -> weight(layer, kind).dequantize(),
                        weights[0][0].grid().bits());
        return DecoderModel.fromWeights(
                reordered, linears, l -> kv == null ? KvCacheScheme.FULL_PRECISION : new KvCacheScheme(null, kv[l]));
    }
}
