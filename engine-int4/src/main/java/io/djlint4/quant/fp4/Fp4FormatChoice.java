package io.djlint4.quant.fp4;

import io.djlint4.kernels.Fp4Format;

/**
 * The formats LLM-FP4's search chose for one linear layer (§5.5): one for the weights, one for
 * the input.
 *
 * @param module the layer, named like the checkpoint ({@code layers.3.q_proj}, {@code lm_head})
 * @param weights the weight format
 * @param inputs the input (activation) format
 */
public record Fp4FormatChoice(String module, Fp4Format weights, Fp4Format inputs) {

    /**
     * Reads the formats of a calibrated layer.
     *
     * @param module the layer's name
     * @param layer the calibrated layer
     * @return its formats
     */
    public static Fp4FormatChoice of(String module, Fp4Linear layer) {
        return new Fp4FormatChoice(module, layer.weights().format(), layer.activations().format());
    }

    @Override
    public String toString() {
        return module + ": weights " + weights + ", inputs " + inputs;
    }
}
