package io.djlint4.quant.fp4;

import io.djlint4.model.DecoderLayer;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.KvCacheScheme;
import io.djlint4.model.LinearKind;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.model.RmsNorm;
import io.djlint4.quant.Execution;

/**
 * The calibrated projections of an LLM-FP4 model, everything its search decided: with the
 * full-precision embedding, norms and biases they rebuild the model without calibration, as a
 * saved model does.
 *
 * @param linears the decoder projections, indexed {@code [layer][kind.ordinal()]}
 * @param lmHead the classifier
 */
public record Fp4Layers(Fp4Linear[][] linears, Fp4Linear lmHead) {

    /** Copies the arrays so the layers cannot change under their users. */
    public Fp4Layers {
        Fp4Linear[][] copy = new Fp4Linear[linears.length][];
        for (int l = 0; l < copy.length; l++) {
            if (linears[l].length != LinearKind.values().length) {
                throw new IllegalArgumentException(
                        "layer " + l + " has " + linears[l].length + " projections, not " + LinearKind.values().length);
            }
            copy[l] = linears[l].clone();
        }
        linears = copy;
    }

    /**
     * Returns one projection.
     *
     * @param layer the decoder layer
     * @param kind the projection
     * @return its calibrated layer
     */
    public Fp4Linear get(int layer, LinearKind kind) {
        return linears[layer][kind.ordinal()];
    }

    @Override
    public Fp4Linear[][] linears() {
        Fp4Linear[][] copy = new Fp4Linear[linears.length][];
        for (int l = 0; l < copy.length; l++) {
            copy[l] = linears[l].clone();
        }
        return copy;
    }

    /**
     * Builds the runnable model; the quantizer and a saved model's reader both build it here, so
     * the two are the same model.
     *
     * @param weights the embedding, norms, biases and rope (projection weights and classifier are
     *     not read)
     * @param kvScheme the cache treatment of every layer
     * @param execution packed FP4 kernels or simulated
     * @return the model
     */
    public DecoderModel model(ModelWeights weights, KvCacheScheme kvScheme, Execution execution) {
        ModelConfig c = weights.config();
        if (linears.length != c.numLayers()) {
            throw new IllegalArgumentException(linears.length + " FP4 layers for a " + c.numLayers() + "-layer model");
        }
        DecoderLayer[] layers = new DecoderLayer[c.numLayers()];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = DecoderLayer.fromWeights(c, l, weights.layers()[l],
                    (layer, kind, weight, bias, out, in) -> get(layer, kind).layer(bias, execution), kvScheme);
        }
        return new DecoderModel(c, weights.tokenEmbedding(), layers, new RmsNorm(weights.finalNorm(), c.rmsNormEps()),
                lmHead.layer(null, execution), weights.rotaryEmbedding());
    }
}
