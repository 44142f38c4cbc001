package io.djlint4.cli;

import io.djlint4.generation.GenerationResult;
import io.djlint4.generation.SamplingConfig;
import io.djlint4.generation.StopReason;
import io.djlint4.model.ModelConfig;
import io.djlint4.tokenizer.ChatTemplate;
import io.djlint4.tokenizer.TextTokenizer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;

/** The sampling options of {@code generate} and {@code chat}, and the stop tokens they use. */
public final class GenerationOptions {

    /** The name of the option that bounds the reply; its default differs by command. */
    public static final String MAX_TOKENS = "max-tokens";
    static final OptionSpec TEMPERATURE = OptionSpec.value(
            "temperature", "T", "sampling temperature; 0 is greedy (default 0.8)");
    static final OptionSpec TOP_K = OptionSpec.value("top-k", "K", "keep the K most likely tokens; 0 keeps all (default 40)");
    static final OptionSpec TOP_P = OptionSpec.value("top-p", "P", "nucleus sampling mass in (0, 1] (default 0.95)");
    static final OptionSpec REPETITION_PENALTY = OptionSpec.value(
            "repetition-penalty", "R", "penalty for tokens already in the sequence; 1 disables (default 1)");
    static final OptionSpec SEED = OptionSpec.value("seed", "S", "random seed of the sampler (default 42)");

    /**
     * Returns the sampling options, in help order.
     *
     * @param defaultMaxTokens the command's default for {@code --max-tokens}, shown in the help
     * @return the options
     */
    public static List<OptionSpec> sampling(int defaultMaxTokens) {
        OptionSpec maxTokens = OptionSpec.value(MAX_TOKENS, "N",
                "most tokens to generate (default " + defaultMaxTokens + "; fewer when the context fills)");
        return List.of(maxTokens, TEMPERATURE, TOP_K, TOP_P, REPETITION_PENALTY, SEED);
    }

    private GenerationOptions() {}

    /**
     * Reads the sampling settings.
     *
     * @param o the parsed options
     * @return the settings
     * @throws UsageException when a value is out of range
     */
    public static SamplingConfig sampling(ParsedOptions o) {
        try {
            return new SamplingConfig(
                    o.decimal(TEMPERATURE.name(), 0.8),
                    o.integer(TOP_K.name(), 40, 0),
                    o.decimal(TOP_P.name(), 0.95),
                    o.decimal(REPETITION_PENALTY.name(), 1),
                    o.longInteger(SEED.name(), 42));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * Returns the ids that end generation: the tokenizer's and the model's EOS ids, plus the
     * chat template's end-of-turn tokens.
     *
     * @param tokenizer the tokenizer
     * @param config the model configuration
     * @param template the chat template, or {@code null}
     * @return the ids
     */
    public static int[] stopIds(TextTokenizer tokenizer, ModelConfig config, ChatTemplate template) {
        Set<Integer> ids = new LinkedHashSet<>();
        for (int id : tokenizer.eosIds()) {
            ids.add(id);
        }
        for (int id : config.eosTokenIds()) {
            ids.add(id);
        }
        if (template != null) {
            for (String token : template.endOfTurnTokens()) {
                OptionalInt id = tokenizer.idOf(token);
                id.ifPresent(ids::add);
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Limits the number of new tokens to what fits in the model's context after the prompt.
     *
     * @param requested the requested number of new tokens
     * @param promptLength the prompt length
     * @param config the model configuration
     * @return the number of tokens to generate
     * @throws CliFailure when the prompt leaves no room
     */
    public static int fitToContext(int requested, int promptLength, ModelConfig config) {
        int room = config.maxPositionEmbeddings() - promptLength;
        if (room < 1) {
            throw new CliFailure("the prompt has " + promptLength + " tokens, which fills the model's context of "
                    + config.maxPositionEmbeddings());
        }
        return Math.min(requested, room);
    }

    /**
     * Names why generation stopped as the JSON field {@code stop_reason} does: {@code eos}, {@code
     * stop_string}, {@code max_tokens}, or {@code context_length} when the context, not {@code
     * --max-tokens}, set the limit that was reached.
     *
     * @param result the generation result
     * @param requested the {@code --max-tokens} value
     * @param granted the tokens {@link #fitToContext} allowed
     * @return the reason
     */
    public static String stopReason(GenerationResult result, int requested, int granted) {
        if (result.stopReason() == StopReason.MAX_TOKENS && granted < requested) {
            return "context_length";
        }
        return result.stopReason().name().toLowerCase(Locale.ROOT);
    }
}
