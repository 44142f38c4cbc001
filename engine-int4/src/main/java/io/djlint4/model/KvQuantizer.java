package io.djlint4.model;

/**
 * Rounds the keys and values a decoder layer is about to append to its cache to the cache's
 * number format, in place. The layer's attention then reads the rounded values back, so the cache
 * handed out holds exactly what attention used, and a later call continuing that cache computes
 * what a single call over all positions would.
 *
 * <p>Implementations must round each token independently of the others (groups never span
 * positions): otherwise decoding token by token and prefilling the same tokens would disagree.
 */
public interface KvQuantizer {

    /**
     * Rounds fresh keys, taken after rope (and after the per-head rotation when the model has
     * one).
     *
     * @param keys the keys {@code [tokens, kvHeads * headDim]}, replaced by their rounded values
     * @param tokens the number of tokens
     */
    void quantizeKeys(float[] keys, int tokens);

    /**
     * Rounds fresh values.
     *
     * @param values the values {@code [tokens, kvHeads * headDim]}, replaced by their rounded values
     * @param tokens the number of tokens
     */
    void quantizeValues(float[] values, int tokens);
}
