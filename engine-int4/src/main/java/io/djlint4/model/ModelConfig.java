package io.djlint4.model;

/**
 * The shape and hyper-parameters of a decoder-only LLaMA/Qwen-family model, independent of the
 * checkpoint format it was read from.
 *
 * @param architecture the model family
 * @param hiddenSize the residual stream width
 * @param intermediateSize the SwiGLU hidden width
 * @param numLayers the number of decoder layers
 * @param numHeads the number of query heads
 * @param numKvHeads the number of key/value heads (grouped-query attention when fewer than heads)
 * @param headDim the per-head dimension
 * @param vocabSize the vocabulary size
 * @param rmsNormEps the RMSNorm epsilon
 * @param ropeTheta the rope base frequency
 * @param ropeScaling llama3 rope scaling, or {@code null}
 * @param maxPositionEmbeddings the maximum context length
 * @param tieWordEmbeddings whether the classifier reuses the token embedding
 * @param attentionBias whether q/k/v projections have a bias (Qwen2)
 * @param qkNorm whether queries and keys get a per-head RMSNorm (Qwen3)
 * @param bosTokenId the beginning-of-sequence token id, or -1
 * @param eosTokenIds the end-of-sequence token ids (may be empty)
 */
public record ModelConfig(
        Architecture architecture,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        int vocabSize,
        double rmsNormEps,
        double ropeTheta,
        RopeScaling ropeScaling,
        int maxPositionEmbeddings,
        boolean tieWordEmbeddings,
        boolean attentionBias,
        boolean qkNorm,
        int bosTokenId,
        int[] eosTokenIds) {

    /**
     * Checks that the dimensions are positive and consistent, and the hyper-parameters finite and
     * in range: {@code 0 < rmsNormEps < 1}, {@code ropeTheta > 1} (smaller bases give every
     * position the same rotation, or none).
     */
    public ModelConfig {
        if (architecture == null) {
            throw new IllegalArgumentException("architecture is missing or not one of "
                    + java.util.Arrays.toString(Architecture.values()));
        }
        if (!(rmsNormEps > 0 && rmsNormEps < 1)) {
            throw new IllegalArgumentException("rms_norm_eps must be finite and in (0, 1), got " + rmsNormEps);
        }
        if (!(ropeTheta > 1 && Double.isFinite(ropeTheta))) {
            throw new IllegalArgumentException("rope_theta must be finite and greater than 1, got " + ropeTheta);
        }
        requirePositive("hidden_size", hiddenSize);
        requirePositive("intermediate_size", intermediateSize);
        requirePositive("num_hidden_layers", numLayers);
        requirePositive("num_attention_heads", numHeads);
        requirePositive("num_key_value_heads", numKvHeads);
        requirePositive("head_dim", headDim);
        requirePositive("vocab_size", vocabSize);
        requirePositive("max_position_embeddings", maxPositionEmbeddings);
        if (numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException(
                    "num_attention_heads ("
                            + numHeads
                            + ") is not a multiple of num_key_value_heads ("
                            + numKvHeads
                            + ")");
        }
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim must be even for rope, got " + headDim);
        }
        eosTokenIds = eosTokenIds == null ? new int[0] : eosTokenIds.clone();
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    /**
     * Returns the width of the query projection output.
     *
     * @return {@code numHeads * headDim}
     */
    public int qDim() {
        return numHeads * headDim;
    }

    /**
     * Returns the width of each of the key and value projection outputs.
     *
     * @return {@code numKvHeads * headDim}
     */
    public int kvDim() {
        return numKvHeads * headDim;
    }

    @Override
    public int[] eosTokenIds() {
        return eosTokenIds.clone();
    }
}
