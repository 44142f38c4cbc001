package io.djlint4.generation;

import io.djlint4.tokenizer.TextTokenizer;
import java.util.function.Consumer;

/**
 * Generates text from a prompt with any {@link LogitsSource}: reads the prompt, then repeatedly
 * lets a {@link SequenceGenerator} choose a token and feeds it back, until an EOS id, a stop
 * string or the token limit. Text is streamed as it becomes complete, and prefill and decode are timed separately.
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
        SequenceGenerator sequence = new SequenceGenerator(promptIds, config, tokenizer, onText);
        long start = System.nanoTime();
        float[] logits = model.prefill(promptIds.clone());
        long prefilled = System.nanoTime();
        int steps = 0;
        int token = sequence.accept(logits);
        while (!sequence.isFinished()) {
            logits = model.next(token);
            steps++;
            token = sequence.accept(logits);
        }
        long end = System.nanoTime();
        return sequence.result(prefilled - start, end - prefilled, steps);
    }
}
