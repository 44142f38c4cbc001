package io.djlint4.checkpoint;

import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import java.nio.file.Path;
import java.util.Map;

/**
 * A checkpoint read into the canonical model representation.
 *
 * @param config the model configuration
 * @param weights the weights in the canonical layout
 * @param metadata the file's metadata: GGUF key/values (tokenizer.ggml.* etc., typed as described
 *     in {@link GgufReader}), or empty for other formats
 * @param source the file or directory that was read
 * @param ropeFreqFactors per-frequency rope divisors ({@code headDim / 2} values) stored by
 *     llama.cpp as the {@code rope_freqs.weight} tensor for llama3-scaled models, or {@code null};
 *     when present, {@code config.ropeScaling()} is null and the inverse frequencies are {@code
 *     theta^(-2j/headDim) / ropeFreqFactors[j]} (see {@link RopeFreqFactors#inverseFrequencies})
 */
public record LoadedCheckpoint(
        ModelConfig config,
        ModelWeights weights,
        Map<String, Object> metadata,
        Path source,
        float[] ropeFreqFactors) {

    /** Makes the metadata map unmodifiable and copies the factors. */
    public LoadedCheckpoint {
        metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(metadata);
        ropeFreqFactors = ropeFreqFactors == null ? null : ropeFreqFactors.clone();
    }

    /**
     * Creates a checkpoint without rope frequency factors.
     *
     * @param config the model configuration
     * @param weights the weights
     * @param metadata the file's metadata, or empty
     * @param source the file or directory that was read
     */
    public LoadedCheckpoint(ModelConfig config, ModelWeights weights, Map<String, Object> metadata, Path source) {
        this(config, weights, metadata, source, null);
    }

    @Override
    public float[] ropeFreqFactors() {
        return ropeFreqFactors == null ? null : ropeFreqFactors.clone();
    }

    /**
     * Returns the rope inverse frequencies this checkpoint needs: from the rope frequency factors
     * when the file has them, else {@code null} (the configuration alone determines them).
     *
     * @return {@code headDim / 2} inverse frequencies, or {@code null}
     */
    public float[] ropeInverseFrequencies() {
        return ropeFreqFactors == null ? null : RopeFreqFactors.inverseFrequencies(config, ropeFreqFactors);
    }
}
