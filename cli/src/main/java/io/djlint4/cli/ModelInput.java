package io.djlint4.cli;

import io.djlint4.checkpoint.CheckpointLoader;
import io.djlint4.checkpoint.LoadedCheckpoint;
import io.djlint4.model.ModelWeights;
import io.djlint4.quant.saved.SavedQuantizedModel;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What {@code --model} named, read: a checkpoint for the command to quantize with {@code --quant},
 * or a saved quantized model, built already. A GGUF file is read header first: its float weights
 * are only expanded when a recipe needs them, never for {@code native}.
 */
public final class ModelInput {

    private final LoadedCheckpoint checkpoint;
    private final SavedQuantizedModel saved;
    private ModelWeights weights;

    /**
     * Creates the input.
     *
     * @param checkpoint the configuration, metadata and source, with the weights when they were
     *     read already; for a saved model the weights it runs (rotated, dequantized) and its
     *     directory
     * @param saved the saved model, or {@code null} for a plain checkpoint
     */
    ModelInput(LoadedCheckpoint checkpoint, SavedQuantizedModel saved) {
        this.checkpoint = checkpoint;
        this.saved = saved;
        this.weights = checkpoint.weights();
    }

    /**
     * Returns the configuration, metadata and source (weights may be absent, see {@link #weights()}).
     *
     * @return the checkpoint
     */
    public LoadedCheckpoint checkpoint() {
        return checkpoint;
    }

    /**
     * Returns the saved model.
     *
     * @return the saved model, or {@code null} for a plain checkpoint
     */
    SavedQuantizedModel saved() {
        return saved;
    }

    /**
     * Tells whether the model is quantized already.
     *
     * @return whether {@code --model} named a saved quantized model
     */
    public boolean isSaved() {
        return saved != null;
    }

    /**
     * Returns the full-precision weights, reading the checkpoint on first use.
     *
     * @return the weights
     * @throws UncheckedIOException when the checkpoint cannot be read
     */
    public synchronized ModelWeights weights() {
        if (weights == null) {
            try {
                weights = CheckpointLoader.load(checkpoint.source()).weights();
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        }
        return weights;
    }
}
