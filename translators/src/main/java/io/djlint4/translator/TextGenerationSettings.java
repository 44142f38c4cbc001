package io.djlint4.translator;

import io.djlint4.generation.SamplingConfig;
import java.util.List;

/**
 * What a {@link TextGenerationTranslator} does with each prompt.
 *
 * @param maxNewTokens the most tokens to generate, at least 1
 * @param sampling how each token is chosen
 * @param chat whether the prompt is a user message to render with the model's chat template
 * @param stopStrings texts that end generation; the output is cut before the first one
 */
public record TextGenerationSettings(
        int maxNewTokens, SamplingConfig sampling, boolean chat, List<String> stopStrings) {

    /** The number of new tokens when none is configured. */
    public static final int DEFAULT_MAX_NEW_TOKENS = 256;

    /** Greedy decoding of up to {@link #DEFAULT_MAX_NEW_TOKENS} tokens, no chat template. */
    public static final TextGenerationSettings DEFAULT =
            new TextGenerationSettings(DEFAULT_MAX_NEW_TOKENS, SamplingConfig.GREEDY, false, List.of());

    /** Checks the values and copies the list. */
    public TextGenerationSettings {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be at least 1, got " + maxNewTokens);
        }
        if (sampling == null) {
            throw new IllegalArgumentException("sampling config is required");
        }
        stopStrings = stopStrings == null ? List.of() : List.copyOf(stopStrings);
    }
}
