package io.djlint4.cli;

import io.djlint4.checkpoint.CheckpointLoader;
import io.djlint4.checkpoint.LoadedCheckpoint;
import io.djlint4.kernels.KernelThreads;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ModelWeights;
import io.djlint4.quant.ModelQuantizer;
import io.djlint4.quant.QuantRecipe;
import io.djlint4.quant.RecipeSettings;
import java.io.IOException;
import java.nio.file.Path;

/** Reads checkpoints and builds runnable models following the {@code --quant} recipe. */
final class ModelLoader {

    private ModelLoader() {}

    /**
     * Parses the {@code --quant} option.
     *
     * @param options the command's options
     * @return the recipe, {@link QuantRecipe#FP32} when absent
     * @throws UsageException when the recipe does not parse
     */
    static QuantRecipe recipe(ParsedOptions options) {
        if (!options.has(CommonOptions.QUANT.name())) {
            return QuantRecipe.FP32;
        }
        try {
            return QuantRecipe.parse(options.require(CommonOptions.QUANT.name()));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--quant: " + e.getMessage());
        }
    }

    /**
     * Reads the checkpoint named by {@code --model}.
     *
     * @param options the command's options
     * @param progress shows what is happening
     * @return the checkpoint
     * @throws IOException when the checkpoint is missing or malformed
     */
    static LoadedCheckpoint checkpoint(ParsedOptions options, TerminalProgress progress) throws IOException {
        Path path = options.requirePath(CommonOptions.MODEL.name());
        progress.stage("loading " + path);
        try {
            return CheckpointLoader.load(path);
        } finally {
            progress.clear();
        }
    }

    /**
     * Builds the model a recipe describes.
     *
     * @param weights the full-precision weights
     * @param recipe the recipe
     * @param progress shows what is happening
     * @return the model
     * @throws CliFailure when the recipe uses parts that are not implemented yet
     */
    static DecoderModel build(ModelWeights weights, QuantRecipe recipe, TerminalProgress progress) {
        if (!recipe.isQuantized()) {
            return DecoderModel.fromWeights(weights);
        }
        progress.stage("quantizing (" + recipe + ")");
        try {
            return new ModelQuantizer(RecipeSettings.DEFAULT).quantize(weights, recipe);
        } catch (UnsupportedOperationException e) {
            throw new CliFailure(e.getMessage(), e);
        } finally {
            progress.clear();
        }
    }

    /**
     * Applies {@code --threads}.
     *
     * @param options the command's options
     */
    static void applyThreads(ParsedOptions options) {
        if (options.has(CommonOptions.THREADS.name())) {
            KernelThreads.setThreads(options.integer(CommonOptions.THREADS.name(), 1, 1));
        }
    }
}
