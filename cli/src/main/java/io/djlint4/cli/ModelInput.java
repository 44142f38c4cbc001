package io.djlint4.cli;

import io.djlint4.checkpoint.LoadedCheckpoint;
import io.djlint4.quant.saved.SavedQuantizedModel;

/**
 * What {@code --model} named, read: a checkpoint for the command to quantize with {@code --quant},
 * or a saved quantized model, built already.
 *
 * @param checkpoint the configuration, weights, metadata and source; for a saved model the weights
 *     it runs (rotated, dequantized) and its directory
 * @param saved the saved model, or {@code null} for a plain checkpoint
 */
record ModelInput(LoadedCheckpoint checkpoint, SavedQuantizedModel saved) {

    /**
     * Tells whether the model is quantized already.
     *
     * @return whether {@code --model} named a saved quantized model
     */
    boolean isSaved() {
        return saved != null;
    }
}
