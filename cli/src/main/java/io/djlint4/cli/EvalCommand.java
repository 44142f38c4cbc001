package io.djlint4.cli;

import io.djlint4.checkpoint.LoadedCheckpoint;
import io.djlint4.eval.BaseDistributions;
import io.djlint4.eval.EvalProtocol;
import io.djlint4.eval.EvalReport;
import io.djlint4.eval.ReferenceLogits;
import io.djlint4.eval.SavedLogProbs;
import io.djlint4.eval.ScoredWindows;
import io.djlint4.eval.TextEvaluator;
import io.djlint4.model.ClassifierPrecision;
import io.djlint4.model.DecoderModel;
import io.djlint4.quant.Execution;
import io.djlint4.quant.QuantRecipe;
import io.djlint4.quant.calib.CalibrationSet;
import io.djlint4.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code int4 eval}: perplexity of the recipe's model on a text, its KL divergence (mean and
 * percentiles) and top-1 agreement against the full-precision model, and its bits per weight.
 * Several comma-separated recipes share one full-precision pass, kept in memory ({@code scored
 * tokens × vocabulary} floats) or saved to a file with {@code --save-logits}.
 */
public final class EvalCommand implements Command {

    static final OptionSpec RECIPES = OptionSpec.value(
            "quant", "RECIPE[,RECIPE...]", "quantization recipe (default fp32), or several separated by"
                    + " commas, scored against one shared full-precision pass (one JSON line each)");

    public static final OptionSpec BASE = OptionSpec.value(
            "base", "PATH", "the base model a saved --model was quantized from, to compare with");

    static final OptionSpec SAVE_LOGITS = OptionSpec.value(
            "save-logits", "FILE", "save the full-precision distributions on this text (16-bit log-probabilities"
                    + " of the scored positions, as llama-perplexity --kl-divergence-base) and compare with them");

    static final OptionSpec BASE_LOGITS = OptionSpec.value(
            "base-logits", "FILE", "compare with distributions saved by --save-logits instead of running the"
                    + " full-precision model (the same base model, text, --protocol, --ctx and --chunks)");

    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String summary() {
        return "perplexity, KL vs fp32 (mean, percentiles), top-1 agreement and bits per weight on a text";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(CommonOptions.MODEL, EvalWindows.TEXT, EvalWindows.PROTOCOL, EvalWindows.CTX,
                EvalWindows.MAX_WINDOWS, EvalWindows.CHUNKS, CommonOptions.TOKENIZER, RECIPES, BASE, SAVE_LOGITS,
                BASE_LOGITS, CommonOptions.CALIB, CommonOptions.CALIB_SAMPLES, CommonOptions.CALIB_LEN,
                CommonOptions.WEIGHT_BUDGET,
                CommonOptions.SIMULATED, CommonOptions.LM_HEAD, CommonOptions.THREADS, CommonOptions.JSON,
                CommonOptions.VERBOSE);
    }

    @Override
    public void run(ParsedOptions o, CliContext context) throws Exception {
        boolean json = o.flag(CommonOptions.JSON.name());
        o.requirePath(CommonOptions.MODEL.name());
        Path textFile = o.requirePath(EvalWindows.TEXT.name());
        List<QuantRecipe> requested = recipes(o);
        EvalProtocol protocol = EvalWindows.protocol(o);
        int maxWindows = EvalWindows.maxWindows(o, 0);
        if (o.has(SAVE_LOGITS.name()) && o.has(BASE_LOGITS.name())) {
            throw new UsageException("--save-logits and --base-logits exclude each other: save a base once, then"
                    + " compare with it");
        }
        Path saveLogits = o.has(SAVE_LOGITS.name()) ? Paths.get(o.require(SAVE_LOGITS.name())) : null;
        Path baseLogits = o.has(BASE_LOGITS.name()) ? o.requirePath(BASE_LOGITS.name()) : null;
        Execution execution = ModelLoader.execution(o);
        ClassifierPrecision lmHead = ModelLoader.lmHead(o);
        ModelLoader.applyThreads(o);
        String text = TextFiles.read(textFile);

        TerminalProgress progress = context.progress(json);
        ModelInput input = ModelLoader.input(o, progress);
        LoadedCheckpoint checkpoint = input.checkpoint();
        List<QuantRecipe> recipes = savedRecipe(o, input, requested);
        int ctx = EvalWindows.ctx(o, checkpoint.config());
        Path tokenizerPath = o.has(CommonOptions.TOKENIZER.name()) ? Paths.get(o.require(CommonOptions.TOKENIZER.name())) : null;
        TextTokenizer tokenizer = TokenizerLocator.locate(checkpoint, tokenizerPath);
        progress.stage("tokenizing " + textFile);
        ScoredWindows windows = EvalWindows.split(text, tokenizer, protocol, ctx, maxWindows);
        progress.clear();
        SavedLogProbs.Header header = SavedLogProbs.Header.of(protocol,
                SavedLogProbs.describe(checkpoint.config()), checkpoint.config().vocabSize(), windows);
        // With a saved base the full-precision model is only built when a recipe runs it.
        DecoderModel fullPrecision = baseLogits != null ? null : ModelLoader.reference(
                input, o.has(BASE.name()) ? o.requirePath(BASE.name()) : null, progress);
        EvalReportPrinter printer = new EvalReportPrinter(
                context, json, protocol, ctx, windows.firstScored(), execution, lmHead);

        if (recipes.size() == 1) {
            QuantRecipe recipe = recipes.get(0);
            long start = System.nanoTime();
            DecoderModel model = lmHead.apply(input.isSaved() || recipe.isQuantized()
                    ? ModelLoader.build(input, recipe, ModelLoader.settings(o),
                            () -> ModelLoader.calibration(o, recipe, tokenizer, input.weights(), progress), progress,
                            execution)
                    : fullPrecision != null ? fullPrecision : ModelLoader.reference(input, null, progress));
            EvalReportPrinter.RecipeRun run = recipeRun(input, recipe, model, start);
            if (baseLogits != null) {
                try (SavedLogProbs base = SavedLogProbs.open(baseLogits, header, windows)) {
                    printer.score(run, new TextEvaluator(model, base), windows, progress, baseLogits);
                }
            } else if (saveLogits != null && model == fullPrecision) {
                // The full-precision model scored alone: one pass scores it and saves the base.
                try (SavedLogProbs.Writer writer = SavedLogProbs.Writer.create(saveLogits, header, windows)) {
                    EvalReport report = new TextEvaluator(model, (DecoderModel) null).evaluate(
                            windows, done -> progress.update("eval", done, windows.windows().size()), writer::append);
                    writer.commit();
                    progress.clear();
                    printer.print(run, report, saveLogits);
                }
            } else if (saveLogits != null) {
                try (SavedLogProbs base = saveBase(saveLogits, fullPrecision, protocol, windows, header, progress)) {
                    printer.score(run, new TextEvaluator(model, base), windows, progress, saveLogits);
                }
            } else {
                printer.score(run, new TextEvaluator(model, fullPrecision), windows, progress, null);
            }
            return;
        }

        Path basePath = baseLogits != null ? baseLogits : saveLogits;
        try (BaseHandle base = baseLogits != null
                ? new BaseHandle(SavedLogProbs.open(baseLogits, header, windows))
                : saveLogits != null
                        ? new BaseHandle(saveBase(saveLogits, fullPrecision, protocol, windows, header, progress))
                        : new BaseHandle(ReferenceLogits.compute(fullPrecision, windows,
                                done -> progress.update("eval fp32", done, windows.windows().size())))) {
            progress.clear();
            List<String> failures = new ArrayList<>();
            // Cut or sampled once: every recipe that calibrates sees the same sequences.
            CalibrationSet calibration = recipes.stream().anyMatch(QuantRecipe::needsCalibration)
                    ? ModelLoader.calibration(o, tokenizer, input.weights(), progress)
                    : null;
            for (QuantRecipe recipe : recipes) {
                long start = System.nanoTime();
                DecoderModel model;
                try {
                    model = lmHead.apply(recipe.isQuantized()
                            ? ModelLoader.build(
                                    input, recipe, ModelLoader.settings(o),
                                    () -> recipe.needsCalibration() ? calibration : null, progress, execution)
                            : fullPrecision != null ? fullPrecision : ModelLoader.reference(input, null, progress));
                } catch (CliFailure e) {
                    // One recipe that cannot be built must not cost the results of the others.
                    failures.add(recipe + ": " + e.getMessage());
                    printFailure(context, json, recipe, e.getMessage());
                    continue;
                }
                printer.score(recipeRun(input, recipe, model, start), new TextEvaluator(model, base.distributions()),
                        windows, progress, basePath);
            }
            if (!failures.isEmpty()) {
                throw new CliFailure(failures.size() + " of " + recipes.size() + " recipes failed: "
                        + String.join("; ", failures));
            }
        }
    }

    /** The facts of a built model beside its scores; {@code start} is when building began. */
    private static EvalReportPrinter.RecipeRun recipeRun(ModelInput input, QuantRecipe recipe, DecoderModel model,
            long start) throws IOException {
        double quantizeSeconds = (System.nanoTime() - start) / 1e9;
        Path source = input.checkpoint().source();
        return new EvalReportPrinter.RecipeRun(recipe, quantizeSeconds, ModelLoader.nativeTypes(input, recipe),
                model.linearFootprint().bitsPerWeight(), recipe.isNative() ? BitsPerWeight.ggufFile(source) : null);
    }

    /** Runs the full-precision model once, saving its distributions, and opens what it saved. */
    private static SavedLogProbs saveBase(Path file, DecoderModel fullPrecision, EvalProtocol protocol,
            ScoredWindows windows, SavedLogProbs.Header header, TerminalProgress progress) throws IOException {
        SavedLogProbs.save(file, fullPrecision, protocol, windows,
                done -> progress.update("eval fp32 -> " + file.getFileName(), done, windows.windows().size()));
        progress.clear();
        return SavedLogProbs.open(file, header, windows);
    }

    /** The base of a several-recipe run, closing a saved file when done. */
    private record BaseHandle(BaseDistributions distributions) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            if (distributions instanceof SavedLogProbs saved) {
                saved.close();
            }
        }
    }

    /** A saved model is scored with its own recipe, which {@code --quant} may only repeat. */
    private static List<QuantRecipe> savedRecipe(ParsedOptions o, ModelInput input, List<QuantRecipe> requested) {
        if (!input.isSaved()) {
            return o.has(RECIPES.name()) ? requested : List.of(ModelLoader.defaultRecipe(input));
        }
        List<QuantRecipe> saved = List.of(input.saved().recipe());
        if (o.has(RECIPES.name()) && !requested.equals(saved)) {
            throw new CliFailure("--quant " + o.require(RECIPES.name()) + ": " + input.checkpoint().source() + " is a saved "
                    + saved.get(0) + " model; drop --quant or quantize its base model");
        }
        return saved;
    }

    private static List<QuantRecipe> recipes(ParsedOptions o) {
        if (!o.has(RECIPES.name())) {
            return List.of(QuantRecipe.FP32);
        }
        List<QuantRecipe> recipes = new ArrayList<>();
        for (String r : o.require(RECIPES.name()).split(",", -1)) {
            try {
                recipes.add(QuantRecipe.parse(r));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--quant: " + e.getMessage());
            }
        }
        return recipes;
    }

    /**
     * Prints one recipe's report of today's windows protocol as {@code int4 eval} does (one JSON
     * line, or the text block), for callers that score windows themselves (the Spark module); the
     * bits per weight are left out, since such a caller does not hand over its model.
     *
     * @param context where to print
     * @param json whether to print JSON
     * @param recipe the recipe scored
     * @param execution how its projections ran
     * @param lmHead the classifier precision asked for
     * @param report the scores
     * @param ctx the window length
     * @param quantizeSeconds time spent building the model
     * @param ggufTypes the GGUF types a native run multiplies by, or {@code null}
     */
    public static void print(
            CliContext context,
            boolean json,
            QuantRecipe recipe,
            Execution execution,
            ClassifierPrecision lmHead,
            EvalReport report,
            int ctx,
            double quantizeSeconds,
            Map<String, Integer> ggufTypes) {
        new EvalReportPrinter(context, json, EvalProtocol.WINDOWS, ctx, 0, execution, lmHead)
                .print(new EvalReportPrinter.RecipeRun(recipe, quantizeSeconds, ggufTypes, null, null), report, null);
    }

    private static void printFailure(CliContext context, boolean json, QuantRecipe recipe, String message) {
        if (json) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("recipe", recipe.toString());
            fields.put("error", message);
            JsonOutput.print(context.out(), fields);
            return;
        }
        context.out().printf(Locale.ROOT, "recipe          %s%nfailed          %s%n", recipe, message);
    }
}
