package io.djlint4.generation;

import io.djlint4.tokenizer.StreamingDecoder;
import io.djlint4.tokenizer.TextTokenizer;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Generates text from a prompt with any {@link LogitsSource}: reads the prompt, then repeatedly
 * chooses a token with a {@link TokenSampler} (the repetition penalty sees the prompt and the
 * tokens generated so far) and feeds it back, until an EOS id, a stop string or the token limit.
 * Text is streamed as it becomes complete, and prefill and decode are timed separately.
 */
public final class GenerationLoop {

    private final LogitsSource model;
    private final TextTokenizer tokenizer;

    /**
     * Creates a loop.
     *
     * @param model the model to draw logits from
     * @param tokenizer decodes the generated ids to text
     */
    public GenerationLoop(LogitsSource model, TextTokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
    }

    /**
     * Generates a continuation of a prompt.
     *
     * @param promptIds the prompt token ids, at least one
     * @param config the limits, sampling and stop conditions
     * @param onText receives each new piece of text as soon as it is complete (never a stop string
     *     or the text after it)
     * @return the generated ids and text, why generation stopped, and timings
     */
    public GenerationResult generate(int[] promptIds, GenerationConfig config, Consumer<String> onText) {
        if (promptIds.length == 0) {
            throw new IllegalArgumentException("the prompt has no tokens");
        }
        int max = config.maxNewTokens();
        int[] history = Arrays.copyOf(promptIds, promptIds.length + max);
        TokenSampler sampler = new TokenSampler(config.sampling());
        StreamingDecoder decoder = new StreamingDecoder(tokenizer, promptIds[promptIds.length - 1]);
        StopStringFilter filter = new StopStringFilter(config.stopStrings(), onText);

        long start = System.nanoTime();
        float[] logits = model.prefill(promptIds.clone());
        long prefilled = System.nanoTime();
        int generated = 0;
        int steps = 0;
        StopReason reason = StopReason.MAX_TOKENS;
        while (true) {
            int length = promptIds.length + generated;
            int token = sampler.next(logits, 0, logits.length, history, length);
            history[length] = token;
            generated++;
            if (config.isEos(token)) {
                reason = StopReason.EOS;
                break;
            }
            if (filter.add(decoder.append(token))) {
                reason = StopReason.STOP_STRING;
                break;
            }
            if (generated == max) {
                break;
            }
            logits = model.next(token);
            steps++;
        }
        if (reason != StopReason.STOP_STRING) {
            if (filter.add(decoder.flush())) {
                reason = StopReason.STOP_STRING;
            } else {
                filter.release();
            }
        }
        long end = System.nanoTime();
        int[] tokens = Arrays.copyOfRange(history, promptIds.length, promptIds.length + generated);
        return new GenerationResult(
                promptIds, tokens, filter.text(), reason, prefilled - start, end - prefilled, steps);
    }
}
