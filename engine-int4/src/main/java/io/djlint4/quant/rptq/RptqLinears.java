package io.djlint4.quant.rptq;

import io.djlint4.model.DenseLinear;
import io.djlint4.model.LinearFactory;
import io.djlint4.model.LinearKind;
import io.djlint4.model.LinearLayer;
import io.djlint4.model.LinearSlot;
import io.djlint4.model.RowTransform;
import io.djlint4.model.TransformedInputLinear;
import io.djlint4.quant.SimulatedQuantLinear;

/**
 * Builds the projections of a reordered model: norm outputs gathered into cluster order in front
 * of the q/k/v and gate/up projections, then (when quantizing) per-cluster activation grids and
 * weights dequantized from per-row, per-input-cluster grids.
 */
final class RptqLinears implements LinearFactory {

    /** Gives the weight a projection multiplies: dequantized, or the reordered full-precision one. */
    @FunctionalInterface
    interface WeightSource {
        /**
         * Returns the weight to multiply.
         *
         * @param layer the decoder layer
         * @param kind the projection
         * @param weight the reordered full-precision weight {@code [out, clusters.width()]}
         * @param out the output channels
         * @param clusters the input clusters the columns follow
         * @return the weight, same shape
         */
        float[] weight(int layer, LinearKind kind, float[] weight, int out, ChannelClusters clusters);
    }

    private final ReorderPlan plan;
    private final ClusterActivationQuantizer[][] activations;
    private final WeightSource weights;
    private final int weightBits;

    private RptqLinears(
            ReorderPlan plan, ClusterActivationQuantizer[][] activations, WeightSource weights, int weightBits) {
        this.plan = plan;
        this.activations = activations;
        this.weights = weights;
        this.weightBits = weightBits;
    }

    /**
     * Full-precision projections of reordered weights: the model computes the original function.
     *
     * @param plan the reorders fused into the weights
     * @return the factory
     */
    static RptqLinears fullPrecision(ReorderPlan plan) {
        return new RptqLinears(plan, null, null, 0);
    }

    /**
     * Quantized projections of reordered weights, each weight rounded to nearest as the projection
     * is built.
     *
     * @param plan the reorders fused into the weights
     * @param activations the quantizer of every slot, indexed {@code [layer][slot.ordinal()]}
     * @param weights the weight quantizer, or {@code null} to keep full-precision weights
     * @return the factory
     */
    static RptqLinears quantized(
            ReorderPlan plan, ClusterActivationQuantizer[][] activations, ClusterWeightQuantizer weights) {
        return quantized(
                plan,
                activations,
                weights == null
                        ? (layer, kind, weight, out, clusters) -> weight
                        : (layer, kind, weight, out, clusters) -> weights.quantize(weight, out, clusters).dequantize(),
                weights == null ? 0 : weights.bits());
    }

    /**
     * Quantized projections of reordered weights whose weights come from elsewhere (GPTQ).
     *
     * @param plan the reorders fused into the weights
     * @param activations the quantizer of every slot, indexed {@code [layer][slot.ordinal()]}
     * @param weights gives each projection's weight
     * @param weightBits the width of the weight codes, 0 when the weights stay full precision
     * @return the factory
     */
    static RptqLinears quantized(
            ReorderPlan plan, ClusterActivationQuantizer[][] activations, WeightSource weights, int weightBits) {
        return new RptqLinears(plan, activations, weights, weightBits);
    }

    @Override
    public LinearLayer create(int layer, LinearKind kind, float[] weight, float[] bias, int out, int in) {
        LinearSlot slot = kind.slot();
        ChannelClusters input = plan.layer(layer).input(slot);
        RowTransform gather = LayerReorder.gathersInput(slot) ? new ChannelGather(input) : null;
        if (activations == null) {
            LinearLayer dense = new DenseLinear(weight, bias, out, in);
            return gather == null ? dense : new TransformedInputLinear(gather, dense);
        }
        float[] w = weights.weight(layer, kind, weight, out, input);
        // ClusteredWeights' codes at the weight width, one float scale and one int zero per row and cluster.
        long bits = weightBits == 0
                ? 32L * out * in
                : (long) out * in * weightBits + 64L * out * input.clusterCount();
        return new SimulatedQuantLinear(gather, activations[layer][slot.ordinal()], w, bias, out, in, bits);
    }
}
