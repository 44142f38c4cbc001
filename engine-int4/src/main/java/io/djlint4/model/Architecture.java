package io.djlint4.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The decoder families the engine runs. They share one forward pass and differ only in the
 * optional pieces recorded in {@link ModelConfig} (q/k/v bias, per-head q/k norm, rope scaling).
 */
public enum Architecture {
    LLAMA("llama"),
    MISTRAL("mistral"),
    QWEN2("qwen2"),
    QWEN3("qwen3");

    private final String modelType;

    Architecture(String modelType) {
        this.modelType = modelType;
    }

    /**
     * Returns the {@code model_type} string used by Hugging Face config.json and GGUF's
     * {@code general.architecture}.
     *
     * @return the model type string
     */
    public String modelType() {
        return modelType;
    }

    /**
     * Finds the architecture for a {@code model_type} / {@code general.architecture} value.
     *
     * @param modelType the value read from a checkpoint
     * @param source the file it came from, named in the error
     * @return the architecture
     * @throws IllegalArgumentException naming the source and the supported types if unknown
     */
    public static Architecture fromModelType(String modelType, String source) {
        if (modelType != null) {
            String wanted = modelType.toLowerCase(Locale.ROOT);
            for (Architecture a : values()) {
                if (a.modelType.equals(wanted)) {
                    return a;
                }
            }
        }
        throw new IllegalArgumentException(
                source
                        + ": unsupported architecture '"
                        + modelType
                        + "'; supported: "
                        + Arrays.stream(values())
                                .map(Architecture::modelType)
                                .collect(Collectors.joining(", ")));
    }
}
