package io.djlint4.engine;

import ai.djl.modality.nlp.generate.CausalLMOutput;
import ai.djl.ndarray.NDList;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

/** Passes block inputs through and splits {@code [logits | 2L key/values | hidden]}. */
final class CausalLmTestTranslator implements NoBatchifyTranslator<NDList, CausalLMOutput> {

    private final int layers;

    /**
     * Creates the translator.
     *
     * @param layers the number of decoder layers
     */
    CausalLmTestTranslator(int layers) {
        this.layers = layers;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, NDList input) {
        return input;
    }

    @Override
    public CausalLMOutput processOutput(TranslatorContext ctx, NDList list) {
        NDList keyValues = new NDList();
        for (int i = 1; i <= 2 * layers; i++) {
            keyValues.add(list.get(i));
        }
        return new CausalLMOutput(list.get(0), list.get(2 * layers + 1), keyValues);
    }
}
