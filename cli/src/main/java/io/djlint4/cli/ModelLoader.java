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
import io.djlint4.quant.calib.SampledCalibration;
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
     * The calibration sequences a recipe needs: cut from the {@code --calib} text, or, when no
     * text is given, sampled from the full-precision model itself (data-free calibration); as many
     * and as long as {@code --calib-samples} and {@code --calib-len} say.
     *
     * @param options the command's options
     * @param recipe the recipe
     * @param tokenizer the model's tokenizer
     * @param weights the full-precision weights, sampled from when no text is given
     * @param progress shows the sampling
     * @return the calibration set, or {@code null} when the recipe needs none
     * @throws CliFailure when the calibration text is too short
     */
    static CalibrationSet calibration(
            ParsedOptions options, QuantRecipe recipe, TextTokenizer tokenizer, ModelWeights weights,
            TerminalProgress progress) {
        return recipe.needsCalibration() ? calibration(options, tokenizer, weights, progress) : null;
    }

    /**
     * The calibration sequences, whether or not a recipe needs them; see {@link
     * #calibration(ParsedOptions, QuantRecipe, TextTokenizer, ModelWeights, TerminalProgress)}.
     *
     * @param options the command's options
     * @param tokenizer the model's tokenizer
     * @param weights the full-precision weights, sampled from when no text is given
     * @param progress shows the sampling
     * @return the calibration set
     * @throws CliFailure when the calibration text is too short
     */
    static CalibrationSet calibration(
            ParsedOptions options, TextTokenizer tokenizer, ModelWeights weights, TerminalProgress progress) {
        RecipeSettings settings = RecipeSettings.DEFAULT;
        settings = settings.withCalibrationSize(
                options.integer(CommonOptions.CALIB_SAMPLES.name(), settings.calibrationSequences(), 1),
                options.integer(CommonOptions.CALIB_LEN.name(), settings.calibrationLength(), 2));
        if (!options.has(CommonOptions.CALIB.name())) {
            int length = settings.calibrationLength();
            String stage = "sampling " + settings.calibrationSequences() + " x " + length
                    + " calibration tokens from the model (no --calib)";
            progress.stage(stage);
            try {
                return SampledCalibration.sample(DecoderModel.fromWeights(weights), settings.calibrationSequences(),
                        length, settings.calibrationSeed(), done -> progress.update(stage, done, length));
            } finally {
                progress.clear();
            }
        }
        int[] ids = tokenizer.encode(TextFiles.read(options.requirePath(CommonOptions.CALIB.name())), false);
        if (ids.length < 2) {
            throw new CliFailure("--calib: the calibration text encodes to fewer than 2 tokens");
        }
        long[] tokens = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            tokens[i] = ids[i];
        }
        return settings.calibrationSet(tokens);
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
