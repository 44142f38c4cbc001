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
 */
public record ModelWeights(
        ModelConfig config,
        float[] tokenEmbedding,
        LayerWeights[] layers,
        float[] finalNorm,
        float[] lmHead) {}
