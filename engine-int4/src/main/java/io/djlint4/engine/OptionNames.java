package io.djlint4.engine;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The load options {@link Int4Model} accepts. An unknown name is refused rather than ignored: a
 * misspelt {@code quantisation} would otherwise run the full-precision model without a word.
 */
final class OptionNames {

    /** The options {@link Int4Model#load} reads itself. */
    private static final Set<String> MODEL = Set.of(
            "modelFile", "logits", "checkFinite", "lmHead", "quantization",
            LoadTimeCalibration.FILE, LoadTimeCalibration.SEQUENCES, LoadTimeCalibration.LENGTH,
            LoadTimeCalibration.WEIGHT_BUDGET);

    /**
     * Generation settings a translator factory reads from the model properties, where {@link
     * Int4Model} publishes every option ({@code option.maxNewTokens} in {@code serving.properties}).
     */
    private static final Set<String> GENERATION = Set.of(
            "maxNewTokens", "temperature", "topK", "topP", "repetitionPenalty", "seed", "chat", "stopStrings",
            "tokenizer");

    private OptionNames() {}

    /**
     * Checks that every option name is known.
     *
     * @param options the load options, possibly {@code null}
     * @throws IllegalArgumentException naming the first unknown option and the valid ones
     */
    static void requireKnown(Map<String, ?> options) {
        if (options == null) {
            return;
        }
        for (String name : new TreeSet<>(options.keySet())) {
            if (!MODEL.contains(name) && !GENERATION.contains(name)) {
                Set<String> valid = new TreeSet<>(MODEL);
                valid.addAll(GENERATION);
                throw new IllegalArgumentException("unknown option '" + name + "' (Criteria.optOption or option."
                        + name + " in serving.properties); valid options: " + valid);
            }
        }
    }
}
