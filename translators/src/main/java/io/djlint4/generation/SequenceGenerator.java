package io.djlint4.generation;

import io.djlint4.tokenizer.StreamingDecoder;
import io.djlint4.tokenizer.TextTokenizer;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The state of one sequence being generated, advanced one token at a time by whoever owns the
 * model: {@link #accept} chooses the next token from the model's logits with a {@link
 * TokenSampler} (the repetition penalty sees the prompt and the tokens so far), decodes it, streams
 * the text that is complete and decides whether the sequence has ended (EOS id, stop string or
 * token limit). Driving the model step by step from outside lets one model call serve several
 * sequences (a batch) or a consumer pull tokens one at a time. Not thread-safe.
 */
public final class SequenceGenerator {

    private final int[] promptIds;
    private final GenerationConfig config;
    private final int[] history;
    private final TokenSampler sampler;
    private final StreamingDecoder decoder;
    private final StopStringFilter filter;
    private int generated;
    private StopReason stopReason;

    /**
     * Starts a sequence after its prompt.
     *
     * @param promptIds the prompt token ids, at least one
     * @param config the limits, sampling and stop conditions
     * @param tokenizer decodes the generated ids to text
     * @param onText receives each new piece of text as soon as it is complete (never a stop string
     *     or the text after it)
     */
    public SequenceGenerator(
            int[] promptIds, GenerationConfig config, TextTokenizer tokenizer, Consumer<String> onText) {
        if (promptIds.length == 0) {
            throw new IllegalArgumentException("the prompt has no tokens");
        }
        this.promptIds = promptIds.clone();
        this.config = config;
        this.history = Arrays.copyOf(promptIds, promptIds.length + config.maxNewTokens());
        this.sampler = new TokenSampler(config.sampling());
        this.decoder = new StreamingDecoder(tokenizer, promptIds[promptIds.length - 1]);
        this.filter = new StopStringFilter(config.stopStrings(), onText);
    }

    /**
     * Chooses the next token from the logits that follow the sequence so far.
     *
     * @param logits the next-token logits, one per vocabulary entry
     * @return the chosen token; the model needs it next unless the sequence {@link #isFinished()}
     * @throws IllegalStateException when the sequence has already finished
     */
    public int accept(float[] logits) {
        if (stopReason != null) {
            throw new IllegalStateException("the sequence has finished (" + stopReason + ")");
        }
        int length = promptIds.length + generated;
        int token = sampler.next(logits, 0, logits.length, history, length);
        history[length] = token;
        generated++;
        if (config.isEos(token)) {
            finish(StopReason.EOS);
        } else if (filter.add(decoder.append(token))) {
            stopReason = StopReason.STOP_STRING;
        } else if (generated == config.maxNewTokens()) {
            finish(StopReason.MAX_TOKENS);
        }
        return token;
    }

    /** Emits the text still held back, unless it completes a stop string. */
    private void finish(StopReason reason) {
        if (filter.add(decoder.flush())) {
            stopReason = StopReason.STOP_STRING;
        } else {
            filter.release();
            stopReason = reason;
        }
    }

    /**
     * Tells whether the sequence has ended.
     *
     * @return {@code true} after an EOS id, a stop string or the token limit
     */
    public boolean isFinished() {
        return stopReason != null;
    }

    /**
     * Returns the outcome so far.
     *
     * @param prefillNanos time spent reading the prompt
     * @param decodeNanos time spent producing the tokens after the first
     * @param decodeSteps the number of tokens fed back to the model
     * @return the generated ids and text and why generation stopped ({@link StopReason#MAX_TOKENS}
     *     while the sequence runs)
     */
    public GenerationResult result(long prefillNanos, long decodeNanos, int decodeSteps) {
        int[] tokens = Arrays.copyOfRange(history, promptIds.length, promptIds.length + generated);
        StopReason reason = stopReason == null ? StopReason.MAX_TOKENS : stopReason;
        return new GenerationResult(promptIds, tokens, filter.text(), reason, prefillNanos, decodeNanos, decodeSteps);
    }
}
