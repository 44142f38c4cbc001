package io.djlint4.model;

/**
 * The token embedding table {@code [vocab, hidden]} a forward pass looks rows up in: a float
 * array, or a table kept compressed (a GGUF file's quantized {@code token_embd}) and expanded one
 * row per token.
 */
@FunctionalInterface
public interface TokenEmbedding {

    /**
     * Copies the embedding of one token.
     *
     * @param id the token id, already checked to be inside the vocabulary
     * @param dst receives {@code hidden} values
     * @param dstOff the index of the first value
     */
    void copyRow(int id, float[] dst, int dstOff);

    /**
     * Wraps a float table; the array is used as it is, not copied.
     *
     * @param table the embeddings, row-major {@code [vocab, hidden]}
     * @param hidden the row length
     * @return the embedding
     */
    static TokenEmbedding of(float[] table, int hidden) {
        return (id, dst, dstOff) -> System.arraycopy(table, id * hidden, dst, dstOff, hidden);
    }
}
