package io.djlint4.server;

import io.djlint4.generation.GenerationConfig;
import io.djlint4.generation.GenerationResult;
import io.djlint4.generation.SequenceGenerator;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.SequenceKvCache;
import io.djlint4.model.SequenceStep;
import io.djlint4.tokenizer.TextTokenizer;
import java.util.Arrays;

/**
 * One request inside the {@link ContinuousBatcher}: its own cache, the generator that chooses its
 * tokens, and when it was submitted. Only the scheduler thread touches it, except {@link #cancel()}.
 */
final class ActiveSequence implements GenerationHandle {

    private final long[] promptIds;
    private final SequenceGenerator generator;
    private final GenerationListener listener;
    private final SequenceKvCache cache;
    private final long submittedNanos;
    private volatile boolean cancelled;
    private int nextToken = -1;
    private long firstTokenNanos;
    private int decodeSteps;

    ActiveSequence(
            int[] promptIds,
            GenerationConfig config,
            TextTokenizer tokenizer,
            ModelConfig model,
            GenerationListener listener,
            long submittedNanos) {
        this.promptIds = Arrays.stream(promptIds).asLongStream().toArray();
        this.listener = listener;
        this.generator = new SequenceGenerator(promptIds, config, tokenizer, listener::onText);
        this.cache = SequenceKvCache.forModel(model);
        this.submittedNanos = submittedNanos;
    }

    @Override
    public void cancel() {
        cancelled = true;
    }

    boolean isCancelled() {
        return cancelled;
    }

    long submittedNanos() {
        return submittedNanos;
    }

    GenerationListener listener() {
        return listener;
    }

    /** Whether the sequence has not run yet: its next step is its prompt. */
    boolean isWaitingForPrefill() {
        return nextToken < 0;
    }

    int promptLength() {
        return promptIds.length;
    }

    /** The tokens this sequence feeds to the next pass: its prompt, then the last chosen token. */
    SequenceStep nextStep() {
        return new SequenceStep(cache, isWaitingForPrefill() ? promptIds : new long[] {nextToken});
    }

    /**
     * Chooses the next token from this sequence's row of a pass's logits.
     *
     * @return whether the sequence has finished
     */
    boolean accept(float[] logits, int offset, int vocab, long nowNanos) {
        if (isWaitingForPrefill()) {
            firstTokenNanos = nowNanos;
        } else {
            decodeSteps++;
        }
        nextToken = generator.accept(Arrays.copyOfRange(logits, offset, offset + vocab));
        return generator.isFinished();
    }

    /** Time from submission to the first token. */
    long timeToFirstTokenNanos() {
        return firstTokenNanos - submittedNanos;
    }

    GenerationResult result(long nowNanos) {
        return generator.result(timeToFirstTokenNanos(), nowNanos - firstTokenNanos, decodeSteps);
    }
}
