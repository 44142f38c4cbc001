package io.djlint4.generation;

/**
 * The outcome of one generation run.
 *
 * @param promptIds the prompt token ids
 * @param tokens the generated token ids, including the EOS id that ended the run, if any
 * @param text the generated text, without EOS tokens and cut before a stop string
 * @param stopReason why generation ended
 * @param prefillNanos time spent reading the prompt
 * @param decodeNanos time spent producing the tokens after the first (sampling included)
 * @param decodeSteps the number of tokens fed back to the model during decoding
 */
public record GenerationResult(
        int[] promptIds,
        int[] tokens,
        String text,
        StopReason stopReason,
        long prefillNanos,
        long decodeNanos,
        int decodeSteps) {

    /** Copies the arrays. */
    public GenerationResult {
        promptIds = promptIds.clone();
        tokens = tokens.clone();
    }

    @Override
    public int[] promptIds() {
        return promptIds.clone();
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    /**
     * Returns the prompt throughput.
     *
     * @return prompt tokens per second, or 0 when no time was measured
     */
    public double prefillTokensPerSecond() {
        return prefillNanos <= 0 ? 0 : promptIds.length * 1e9 / prefillNanos;
    }

    /**
     * Returns the decoding throughput.
     *
     * @return decoded tokens per second, or 0 when there was no decoding step
     */
    public double decodeTokensPerSecond() {
        return decodeNanos <= 0 || decodeSteps == 0 ? 0 : decodeSteps * 1e9 / decodeNanos;
    }
}
