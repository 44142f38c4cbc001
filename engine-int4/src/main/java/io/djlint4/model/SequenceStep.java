package io.djlint4.model;

/**
 * One sequence's part of a {@link DecoderModel#forward(java.util.List)} call: the new tokens that
 * continue its own cache (a whole prompt when the cache is empty, one token while decoding).
 *
 * @param cache the sequence's cache, extended in place by the call
 * @param tokenIds the new token ids, at least one
 */
public record SequenceStep(SequenceKvCache cache, long[] tokenIds) {

    /** Checks that there is a cache and at least one token. */
    public SequenceStep {
        if (cache == null) {
            throw new IllegalArgumentException("a sequence step needs its cache");
        }
        if (tokenIds == null || tokenIds.length == 0) {
            throw new IllegalArgumentException("a sequence step needs at least one token");
        }
    }

    /**
     * Returns the number of new tokens.
     *
     * @return the token count
     */
    public int length() {
        return tokenIds.length;
    }
}
