package io.djlint4.server;

import io.djlint4.generation.GenerationResult;

/**
 * Receives what a {@link ContinuousBatcher} produces for one request, on the scheduler's thread:
 * pieces of text as they become complete, then exactly one of {@link #onComplete} or {@link
 * #onFailure}. Implementations must return quickly (hand the text to a socket or a queue), since
 * every sequence of the batch waits for them.
 */
public interface GenerationListener {

    /**
     * Receives the next piece of generated text (never a stop string or text after it).
     *
     * @param text the piece
     */
    void onText(String text);

    /**
     * Receives the outcome when the sequence ended by EOS, stop string or token limit. Its {@code
     * prefillNanos} is the time from submission to the first token.
     *
     * @param result the generated ids and text and why generation stopped
     */
    void onComplete(GenerationResult result);

    /**
     * Receives why the sequence ended early: cancelled, timed out or failed.
     *
     * @param failure the reason
     */
    void onFailure(GenerationFailure failure);
}
