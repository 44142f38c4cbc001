package io.djlint4.translator;

import ai.djl.modality.nlp.generate.CausalLMOutput;
import ai.djl.ndarray.NDList;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

/**
 * One decoding step for DJL's {@code TextGenerator}: the block's inputs pass through unchanged
 * ({@code input_ids, position_ids, attention_mask, past key/values}) and its outputs {@code
 * [logits, k0, v0, ..., k(L-1), v(L-1), hidden]} become a {@link CausalLMOutput}. Engine-agnostic:
 * it works on any engine's arrays.
 */
public class CausalLmTranslator implements NoBatchifyTranslator<NDList, CausalLMOutput> {

    private final int numLayers;

    /**
     * Creates the translator.
     *
     * @param numLayers the number of decoder layers (two cache arrays each)
     */
    public CausalLmTranslator(int numLayers) {
        if (numLayers <= 0) {
            throw new IllegalArgumentException("numLayers must be positive, got " + numLayers);
        }
        this.numLayers = numLayers;
    }

    /**
     * Returns the number of decoder layers.
     *
     * @return the layer count
     */
    public int getNumLayers() {
        return numLayers;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, NDList input) {
        return input;
    }

    @Override
    public CausalLMOutput processOutput(TranslatorContext ctx, NDList output) {
        int expected = 2 + 2 * numLayers;
        if (output.size() != expected) {
            throw new IllegalStateException(
                    "the block returned "
                            + output.size()
                            + " arrays; a causal LM with "
                            + numLayers
                            + " layers returns "
                            + expected
                            + " (logits, 2 per layer, hidden states)");
        }
        NDList pastKeyValues = output.subNDList(1, 1 + 2 * numLayers);
        return new CausalLMOutput(output.get(0), output.get(expected - 1), pastKeyValues);
    }
}
