package io.djlint4.generation;

/**
 * A language model seen from the generation loop: it reads a prompt, then one token at a time, and
 * each time returns the next-token logits. Implementations keep the state of one sequence (such
 * as a KV cache) between calls; they need not be thread-safe.
 */
public interface LogitsSource {

    /**
     * Starts a new sequence, discarding any earlier one, and reads its prompt.
     *
     * @param promptIds the prompt token ids, at least one
     * @return the logits after the last prompt token (one value per vocabulary entry)
     */
    float[] prefill(int[] promptIds);

    /**
     * Appends one token to the current sequence.
     *
     * @param tokenId the token that was chosen
     * @return the logits after it
     */
    float[] next(int tokenId);
}
