package io.djlint4.quant.saved;

import io.djlint4.checkpoint.CheckpointFormatException;
import io.djlint4.checkpoint.LoadedCheckpoint;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ModelConfig;
import io.djlint4.quant.QuantRecipe;
import java.nio.file.Path;
import java.util.List;

/**
 * A saved quantized model read back by {@link QuantizedModelReader}.
 *
 * @param header the header
 * @param recipe the recipe the model was quantized with
 * @param checkpoint the configuration, the weights as the model runs them (rotated, projections
 *     dequantized), the tokenizer metadata of a GGUF base model (empty otherwise) and the
 *     directory as source
 * @param model the runnable model, identical to the one the quantizer built (read it with {@link
 *     QuantizedModelReader#read(Path, io.djlint4.checkpoint.LoadOptions, io.djlint4.quant.Execution)}
 *     for a simulated one)
 */
public record SavedQuantizedModel(
        QuantizedModelHeader header,
        QuantRecipe recipe,
        LoadedCheckpoint checkpoint,
        DecoderModel model) {

    /**
     * Checks that a base model is the one this model was quantized from, by configuration.
     *
     * @param base the base model's configuration
     * @throws CheckpointFormatException naming the fields that differ
     */
    public void requireBase(ModelConfig base) throws CheckpointFormatException {
        if (QuantizedModelHeader.fingerprint(base).equals(header.baseConfigSha256())) {
            return;
        }
        List<String> diff = QuantizedModelHeader.differences(header.baseConfig(), base);
        Path file = checkpoint.source().resolve(QuantizedModelHeader.FILE_NAME);
        throw new CheckpointFormatException(file, "baseConfigSha256", "the model was quantized from another base model"
                + (diff.isEmpty() ? "" : " (saved vs given: " + String.join(", ", diff) + ")"));
    }
}
