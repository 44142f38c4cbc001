package io.djlint4.model;

/**
 * All full-precision weights of a decoder model, in the canonical layout described in {@link
 * LayerWeights}.
 *
 * @param config the model configuration the shapes follow
 * @param tokenEmbedding the token embedding {@code [vocab, hidden]}
 * @param layers the decoder layers
 * @param finalNorm the final RMSNorm gain {@code [hidden]}
 * @param lmHead the classifier {@code [vocab, hidden]}; the same array as {@code tokenEmbedding}
 *     when the embeddings are tied
 * @param ropeInverseFrequencies {@code headDim / 2} rope inverse frequencies stored with the
 *     checkpoint (GGUF keeps llama3 scaling this way), or {@code null} to derive them from the
 *     configuration
 */
public record ModelWeights(
        ModelConfig config,
        float[] tokenEmbedding,
        LayerWeights[] layers,
        float[] finalNorm,
        float[] lmHead,
        float[] ropeInverseFrequencies) {

    /**
     * Creates weights whose rope frequencies follow from the configuration.
     *
     * @param config the model configuration
     * @param tokenEmbedding the token embedding
     * @param layers the decoder layers
     * @param finalNorm the final RMSNorm gain
     * @param lmHead the classifier
     */
    public ModelWeights(
            ModelConfig config, float[] tokenEmbedding, LayerWeights[] layers, float[] finalNorm, float[] lmHead) {
        this(config, tokenEmbedding, layers, finalNorm, lmHead, null);
    }

    /**
     * Returns the rotary embedding these weights were trained with.
     *
     * @return the stored frequencies if any, else those of the configuration
     */
    public RotaryEmbedding rotaryEmbedding() {
        return ropeInverseFrequencies == null
                ? new RotaryEmbedding(config)
                : new RotaryEmbedding(config.headDim(), ropeInverseFrequencies);
    }
}
