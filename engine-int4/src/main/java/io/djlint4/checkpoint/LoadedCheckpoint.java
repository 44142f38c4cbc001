package io.djlint4.checkpoint;

import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import java.nio.file.Path;
import java.util.Map;

/**
 * A checkpoint read into the canonical model representation.
 *
 * @param config the model configuration
 * @param weights the weights in the canonical layout (with rope frequencies when the file stores
 *     them, see {@link ModelWeights#ropeInverseFrequencies()}), or {@code null} once dropped by
 *     {@link #withoutWeights()}
 * @param metadata the file's metadata: GGUF key/values (tokenizer.ggml.* etc., typed as described
 *     in {@link GgufReader}), or empty for other formats
 * @param source the file or directory that was read
 */
public record LoadedCheckpoint(
        ModelConfig config, ModelWeights weights, Map<String, Object> metadata, Path source) {

    /** Makes the metadata map unmodifiable. */
    public LoadedCheckpoint {
        metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(metadata);
    }

    /**
     * Returns this checkpoint without its weights, for holders that only need the configuration
     * and metadata once the runnable model is built: a quantized model's float weights are then
     * free to be collected, leaving the packed ones.
     *
     * @return the checkpoint with {@code weights} {@code null}
     */
    public LoadedCheckpoint withoutWeights() {
        return new LoadedCheckpoint(config, null, metadata, source);
    }
}
