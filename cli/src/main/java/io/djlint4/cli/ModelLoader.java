package io.djlint4.cli;

import io.djlint4.checkpoint.CheckpointLoader;
import io.djlint4.checkpoint.LoadedCheckpoint;
import io.djlint4.kernels.KernelThreads;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ModelWeights;
import io.djlint4.quant.ModelQuantizer;
import io.djlint4.quant.QuantRecipe;
import io.djlint4.quant.RecipeSettings;
import io.djlint4.quant.calib.CalibrationSet;
import io.djlint4.tokenizer.TextTokenizer;
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
     * @param calibration calibration sequences, or {@code null} for recipes that need none
     * @param progress shows what is happening
     * @return the model
     * @throws CliFailure when the recipe uses parts that are not implemented yet
     */
    static DecoderModel build(
            ModelWeights weights, QuantRecipe recipe, CalibrationSet calibration, TerminalProgress progress) {
        progress.stage(recipe.isQuantized() ? "quantizing (" + recipe + ")" : "building the model");
        try {
            return new ModelQuantizer(RecipeSettings.DEFAULT)
                    .withProgress(progress::update)
                    .quantize(weights, recipe, calibration);
        } catch (UnsupportedOperationException e) {
            throw new CliFailure(e.getMessage(), e);
        } finally {
            progress.clear();
        }
    }

    /**
     * Tokenizes the {@code --calib} text into calibration sequences when the recipe needs them,
     * as many and as long as {@code --calib-samples} and {@code --calib-len} say.
     *
     * @param options the command's options
     * @param recipe the recipe
     * @param tokenizer the model's tokenizer
     * @return the calibration set, or {@code null} when the recipe needs none
     * @throws CliFailure when the recipe needs calibration and no text was given
     */
    static CalibrationSet calibration(ParsedOptions options, QuantRecipe recipe, TextTokenizer tokenizer) {
        if (!recipe.needsCalibration()) {
            return null;
        }
        if (!options.has(CommonOptions.CALIB.name())) {
            throw new CliFailure(
                    "recipe '" + recipe + "' calibrates on text: pass --calib FILE (a training or"
                            + " validation text, never the text being evaluated)");
        }
        int[] ids = tokenizer.encode(TextFiles.read(options.requirePath(CommonOptions.CALIB.name())), false);
        if (ids.length < 2) {
            throw new CliFailure("--calib: the calibration text encodes to fewer than 2 tokens");
        }
        long[] tokens = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            tokens[i] = ids[i];
        }
        RecipeSettings defaults = RecipeSettings.DEFAULT;
        return defaults.withCalibrationSize(
                        options.integer(CommonOptions.CALIB_SAMPLES.name(), defaults.calibrationSequences(), 1),
                        options.integer(CommonOptions.CALIB_LEN.name(), defaults.calibrationLength(), 2))
                .calibrationSet(tokens);
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
