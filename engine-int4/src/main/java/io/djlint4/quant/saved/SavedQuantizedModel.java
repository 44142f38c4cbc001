package io.djlint4.quant.saved;

import io.djlint4.checkpoint.CheckpointFormatException;
import io.djlint4.checkpoint.LoadedCheckpoint;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ModelConfig;
import io.djlint4.quant.QuantRecipe;
import io.djlint4.quant.QuantizedModelContents;
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
 * @param model the runnable model, identical to the one the quantizer built
 * @param contents what the model was built from, e.g. to build it {@link
 *     io.djlint4.quant.Execution#SIMULATED simulated} with {@link
 *     io.djlint4.quant.ModelQuantizer#build(QuantizedModelContents, io.djlint4.quant.Execution)}
 */
public record SavedQuantizedModel(
        QuantizedModelHeader header,
        QuantRecipe recipe,
        LoadedCheckpoint checkpoint,
        DecoderModel model,
        QuantizedModelContents contents) {

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
