package io.djlint4.spark;

import java.io.Serializable;

/**
 * The outcome of one prompt: its continuation, or the error that kept it from running.
 *
 * @param text the generated text (without the prompt), {@code null} on error
 * @param promptTokens the prompt's token count, BOS included; {@code null} when it was not encoded
 * @param tokens the generated token count, EOS included; {@code null} on error
 * @param stopReason {@code eos}, {@code max_tokens} or {@code context_length} as in {@code int4
 *     generate --json}; {@code null} on error
 * @param prefillMs milliseconds the model spent reading the prompts of the row's batch
 * @param decodeMs milliseconds the row's batch spent generating
 * @param batchSize the number of prompts that ran together with this one (itself included)
 * @param error why the prompt did not run, or {@code null}
 */
record GeneratedRow(
        String text,
        Integer promptTokens,
        Integer tokens,
        String stopReason,
        Double prefillMs,
        Double decodeMs,
        Integer batchSize,
        String error) implements Serializable {

    /**
     * A row whose prompt could not run.
     *
     * @param promptTokens the prompt's token count when it was encoded, else {@code null}
     * @param error the message
     * @return the row
     */
    static GeneratedRow failed(Integer promptTokens, String error) {
        return new GeneratedRow(null, promptTokens, null, null, null, null, null, error);
    }
}
