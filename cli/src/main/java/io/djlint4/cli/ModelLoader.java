package io.djlint4.cli;

import io.djlint4.checkpoint.CheckpointLoader;
import io.djlint4.checkpoint.GgufCheckpointReader;
import io.djlint4.checkpoint.GgufReader;
import io.djlint4.checkpoint.LoadOptions;
import io.djlint4.checkpoint.LoadedCheckpoint;
import io.djlint4.kernels.KernelThreads;
import io.djlint4.model.ClassifierPrecision;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ModelWeights;
import io.djlint4.quant.DefaultRecipe;
import io.djlint4.quant.Execution;
import io.djlint4.quant.ModelQuantizer;
import io.djlint4.quant.QuantRecipe;
import io.djlint4.quant.RecipeSettings;
import io.djlint4.quant.QuantizationResult;
import io.djlint4.quant.calib.CalibrationSet;
import io.djlint4.quant.calib.SampledCalibration;
import io.djlint4.quant.calib.WikiTextDetokenizer;
import io.djlint4.quant.gguf.NativeGgufLoader;
import io.djlint4.quant.saved.QuantizedModelReader;
import io.djlint4.tokenizer.TextTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads checkpoints and builds runnable models following the {@code --quant} recipe, or reads saved
 * quantized models, which carry their recipe.
 */
public final class ModelLoader {

    private ModelLoader() {}

    /**
     * Parses the {@code --quant} option.
     *
     * @param options the command's options
     * @return the recipe, {@link QuantRecipe#FP32} when absent
     * @throws UsageException when the recipe does not parse
     */
    public static QuantRecipe recipe(ParsedOptions options) {
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
     * Returns the recipe a command runs: the one of a saved quantized model, which {@code --quant}
     * may only repeat, else {@code --quant}.
     *
     * @param options the command's options
     * @param input what {@code --model} named
     * @return the recipe
     * @throws CliFailure when {@code --quant} asks a saved model for another recipe
     */
    public static QuantRecipe recipe(ParsedOptions options, ModelInput input) {
        QuantRecipe requested = recipe(options);
        if (!input.isSaved()) {
            return options.has(CommonOptions.QUANT.name()) ? requested : defaultRecipe(input);
        }
        QuantRecipe saved = input.saved().recipe();
        if (options.has(CommonOptions.QUANT.name()) && !requested.equals(saved)) {
            throw new CliFailure("--quant " + requested + ": " + input.checkpoint().source() + " is a saved " + saved
                    + " model; drop --quant or quantize its base model");
        }
        return saved;
    }

    /**
     * Returns what runs without {@code --quant}: a GGUF file whose matrices are quantized runs its
     * own blocks ({@code native}); a float checkpoint runs {@link DefaultRecipe#RECOMMENDED}.
     *
     * @param input what {@code --model} named, not a saved model
     * @return {@link QuantRecipe#NATIVE} or {@link DefaultRecipe#RECOMMENDED}
     */
    static QuantRecipe defaultRecipe(ModelInput input) {
        Path source = input.checkpoint().source();
        try {
            return DefaultRecipe.forCheckpoint(source);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private static boolean isGguf(Path file) throws IOException {
        return Files.isRegularFile(file) && GgufReader.hasMagic(file);
    }

    /**
     * Reads what {@code --model} names: a checkpoint, or a saved quantized model directory.
     *
     * @param options the command's options
     * @param progress shows what is happening
     * @return the model input
     * @throws IOException when the checkpoint is missing or malformed
     */
    public static ModelInput input(ParsedOptions options, TerminalProgress progress) throws IOException {
        Path path = options.requirePath(CommonOptions.MODEL.name());
        progress.stage("loading " + path);
        try {
            if (QuantizedModelReader.isSavedModel(path)) {
                var saved = QuantizedModelReader.read(path);
                return new ModelInput(saved.checkpoint(), saved);
            }
            if (isGguf(path)) {
                // The header is enough for native runs; ModelInput expands the weights when a recipe needs them.
                return new ModelInput(GgufCheckpointReader.readHeader(path), null);
            }
            return new ModelInput(CheckpointLoader.load(path), null);
        } finally {
            progress.clear();
        }
    }

    /**
     * Returns the runnable model: a saved model as read, else the checkpoint quantized with a
     * recipe.
     *
     * @param input what {@code --model} named
     * @param recipe the recipe, from {@link #recipe(ParsedOptions, ModelInput)}
     * @param calibration supplies calibration sequences when the recipe needs them; not called for
     *     a saved model
     * @param progress shows what is happening
     * @return the model
     * @throws CliFailure when the recipe uses parts that are not implemented yet
     */
    static DecoderModel build(ModelInput input, QuantRecipe recipe, RecipeSettings settings,
            Supplier<CalibrationSet> calibration, TerminalProgress progress) {
        return build(input, recipe, settings, calibration, progress, Execution.PACKED);
    }

    /**
     * Like {@link #build(ModelInput, QuantRecipe, RecipeSettings, Supplier, TerminalProgress)}, with the
     * quantized projections run as {@code execution} says (RPTQ models always run simulated).
     *
     * @param input what {@code --model} named
     * @param recipe the recipe
     * @param calibration supplies calibration sequences when the recipe needs them
     * @param progress shows what is happening
     * @param execution packed kernels or simulated
     * @return the model
     */
    public static DecoderModel build(
            ModelInput input,
            QuantRecipe recipe,
            RecipeSettings settings,
            Supplier<CalibrationSet> calibration,
            TerminalProgress progress,
            Execution execution) {
        if (input.isSaved()) {
            return execution == Execution.PACKED ? input.saved().model() : readSimulated(input);
        }
        if (recipe.isNative()) {
            return loadNative(input, recipe, progress);
        }
        return quantize(input.weights(), recipe, settings, calibration.get(), progress, execution).model();
    }

    /** A saved model keeps no codes beside its packed layers, so a simulated twin is read anew. */
    private static DecoderModel readSimulated(ModelInput input) {
        try {
            return QuantizedModelReader.read(input.checkpoint().source(), LoadOptions.defaults(), Execution.SIMULATED)
                    .model();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private static DecoderModel loadNative(ModelInput input, QuantRecipe recipe, TerminalProgress progress) {
        Path source = input.checkpoint().source();
        progress.stage("reading the blocks of " + source);
        try {
            if (!isGguf(source)) {
                throw new CliFailure("--quant " + recipe + " runs a GGUF file's own blocks; " + source + " is not a GGUF file");
            }
            return NativeGgufLoader.load(source, LoadOptions.defaults(), recipe.nativeBlocks());
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        } finally {
            progress.clear();
        }
    }

    /**
     * Lists the GGUF types a native run multiplies by, for reports.
     *
     * @param input what {@code --model} named
     * @param recipe the recipe that ran
     * @return type name to tensor count, or {@code null} when the recipe is not native
     */
    public static Map<String, Integer> nativeTypes(ModelInput input, QuantRecipe recipe) {
        if (!recipe.isNative()) {
            return null;
        }
        try {
            return NativeGgufLoader.quantizedTypes(input.checkpoint().source());
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /**
     * Says how a recipe's projections ran, for reports.
     *
     * @param recipe the recipe
     * @param execution what was asked for
     * @return {@code native} for a GGUF file's own blocks, {@code packed}, {@code simulated}, or
     *     {@code float} when weights stay full precision
     */
    static String executionLabel(QuantRecipe recipe, Execution execution) {
        if (recipe.isNative()) {
            return "native";
        }
        if (!recipe.bits().quantizesWeights()) {
            return "float";
        }
        return execution == Execution.PACKED && ModelQuantizer.runsPacked(recipe) ? "packed" : "simulated";
    }

    /**
     * Reads {@code --lm-head}, before anything is loaded.
     *
     * @param options the command's options
     * @return how the full-precision classifier is to be stored
     * @throws UsageException when the value is not {@code fp32}, {@code bf16} or {@code int8}
     */
    public static ClassifierPrecision lmHead(ParsedOptions options) {
        String precision = options.string(CommonOptions.LM_HEAD.name(), "fp32");
        return ClassifierPrecision.named(precision)
                .orElseThrow(() -> new UsageException("--lm-head must be fp32, bf16 or int8, got '" + precision + "'"));
    }

    /**
     * Says how the classifier ran, for reports: a native run multiplies by the file's own
     * classifier blocks whatever {@code --lm-head} says.
     *
     * @param lmHead what {@code --lm-head} asked for
     * @param recipe the recipe that ran
     * @return {@code native}, or the precision's label
     */
    static String lmHeadLabel(ClassifierPrecision lmHead, QuantRecipe recipe) {
        return recipe.isNative() ? "native" : lmHead.label();
    }

    /**
     * Reads the recipe settings the options change: {@code --weight-budget}.
     *
     * @param options the command's options
     * @return the default settings with the options' budget
     * @throws UsageException when the budget is not a positive number
     */
    public static RecipeSettings settings(ParsedOptions options) {
        double budget = options.decimal(CommonOptions.WEIGHT_BUDGET.name(), RecipeSettings.DEFAULT_WEIGHT_BUDGET);
        if (!(budget > 0)) {
            throw new UsageException("--" + CommonOptions.WEIGHT_BUDGET.name() + " expects a positive number of bits"
                    + " per weight, got " + budget);
        }
        return RecipeSettings.DEFAULT.withWeightBudget(budget);
    }

    /**
     * Reads {@code --simulated}.
     *
     * @param options the command's options
     * @return how quantized projections run
     */
    public static Execution execution(ParsedOptions options) {
        return options.flag(CommonOptions.SIMULATED.name()) ? Execution.SIMULATED : Execution.PACKED;
    }

    /**
     * Returns the full-precision model a quantized one is compared with: the checkpoint itself, or
     * for a saved model its base model, given with {@code --base} (a saved model does not record
     * where its base was) and checked to have its configuration.
     *
     * @param input what {@code --model} named
     * @param base the {@code --base} path, or {@code null}
     * @param progress shows what is happening
     * @return the reference model
     * @throws IOException when the base model cannot be read or is another model
     * @throws CliFailure when a saved model's base is not given or does not exist
     */
    public static DecoderModel reference(ModelInput input, Path base, TerminalProgress progress) throws IOException {
        if (!input.isSaved()) {
            return DecoderModel.fromWeights(input.weights());
        }
        if (base == null || !Files.exists(base)) {
            throw new CliFailure("comparing with full precision needs the base model " + input.checkpoint().source()
                    + " was quantized from (" + input.saved().header().base().name() + "): "
                    + (base == null ? "pass it with --base" : base + " does not exist"));
        }
        progress.stage("loading the base model " + base);
        try {
            LoadedCheckpoint checkpoint = CheckpointLoader.load(base);
            input.saved().requireBase(checkpoint.config());
            return DecoderModel.fromWeights(checkpoint.weights());
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
     * @param execution how the quantized projections run, during calibration too
     * @return the model and what it was built from
     * @throws CliFailure when the recipe uses parts that are not implemented yet
     */
    static QuantizationResult quantize(
            ModelWeights weights,
            QuantRecipe recipe,
            RecipeSettings settings,
            CalibrationSet calibration,
            TerminalProgress progress,
            Execution execution) {
        progress.stage(recipe.isQuantized() ? "quantizing (" + recipe + ")" : "building the model");
        try {
            return new ModelQuantizer(settings)
                    .withProgress(progress::update)
                    .withExecution(execution)
                    .apply(weights, recipe, calibration);
        } catch (UnsupportedOperationException e) {
            throw new CliFailure(e.getMessage(), e);
        } finally {
            progress.clear();
        }
    }

    /**
     * The calibration sequences a recipe needs: cut from the {@code --calib} text, or, when no
     * text is given, sampled from the full-precision model itself (data-free calibration); as many
     * and as long as {@code --calib-samples} and {@code --calib-len} say. WikiText's tokenized text
     * is detokenized first ({@link WikiTextDetokenizer}).
     *
     * @param options the command's options
     * @param recipe the recipe
     * @param tokenizer the model's tokenizer
     * @param weights the full-precision weights, sampled from when no text is given
     * @param progress shows the sampling
     * @return the calibration set, or {@code null} when the recipe needs none
     * @throws CliFailure when the calibration text is too short
     */
    public static CalibrationSet calibration(
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
        String text = WikiTextDetokenizer.prepare(TextFiles.read(options.requirePath(CommonOptions.CALIB.name())));
        int[] ids = tokenizer.encode(text, false);
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
            KernelThreads.setThreads(options.integer(CommonOptions.THREADS.name(), 1, 1, KernelThreads.maxThreads()));
        }
    }
}
