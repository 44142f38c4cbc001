package io.djlint4.cli;

import io.djlint4.checkpoint.LoadedCheckpoint;
import io.djlint4.eval.EvalReport;
import io.djlint4.eval.ReferenceLogits;
import io.djlint4.eval.TextEvaluator;
import io.djlint4.model.ClassifierPrecision;
import io.djlint4.model.DecoderModel;
import io.djlint4.quant.Execution;
import io.djlint4.quant.QuantRecipe;
import io.djlint4.quant.calib.CalibrationSet;
import io.djlint4.tokenizer.TextTokenizer;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code int4 eval}: perplexity of the recipe's model on a text, and its KL divergence and top-1
 * agreement against the full-precision model. Several comma-separated recipes share one
 * full-precision pass, whose logits are kept in memory ({@code tokens × vocabulary} floats).
 */
public final class EvalCommand implements Command {

    static final OptionSpec RECIPES = OptionSpec.value(
            "quant", "RECIPE[,RECIPE...]", "quantization recipe (default fp32), or several separated by"
                    + " commas, scored against one shared full-precision pass (one JSON line each)");

    public static final OptionSpec BASE = OptionSpec.value(
            "base", "PATH", "the base model a saved --model was quantized from, to compare with");

    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String summary() {
        return "perplexity, KL vs fp32 and top-1 agreement on a text";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(CommonOptions.MODEL, EvalWindows.TEXT, EvalWindows.CTX, EvalWindows.MAX_WINDOWS,
                CommonOptions.TOKENIZER, RECIPES, BASE, CommonOptions.CALIB, CommonOptions.CALIB_SAMPLES,
                CommonOptions.CALIB_LEN, CommonOptions.SIMULATED, CommonOptions.LM_HEAD, CommonOptions.THREADS, CommonOptions.JSON,
                CommonOptions.VERBOSE);
    }

    @Override
    public void run(ParsedOptions o, CliContext context) throws Exception {
        boolean json = o.flag(CommonOptions.JSON.name());
        o.requirePath(CommonOptions.MODEL.name());
        Path textFile = o.requirePath(EvalWindows.TEXT.name());
        List<QuantRecipe> requested = recipes(o);
        int maxWindows = o.integer(EvalWindows.MAX_WINDOWS.name(), 0, 0);
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
        List<long[]> windows = EvalWindows.split(text, tokenizer, ctx, maxWindows);
        progress.clear();
        DecoderModel fullPrecision = ModelLoader.reference(
                input, o.has(BASE.name()) ? o.requirePath(BASE.name()) : null, progress);

        if (recipes.size() == 1) {
            QuantRecipe recipe = recipes.get(0);
            long start = System.nanoTime();
            DecoderModel model = lmHead.apply(input.isSaved() || recipe.isQuantized()
                    ? ModelLoader.build(input, recipe,
                            () -> ModelLoader.calibration(o, recipe, tokenizer, input.weights(), progress), progress,
                            execution)
                    : fullPrecision);
            double quantizeSeconds = (System.nanoTime() - start) / 1e9;
            EvalReport report = new TextEvaluator(model, fullPrecision)
                    .evaluate(windows, done -> progress.update("eval", done, windows.size()));
            progress.clear();
            print(context, json, recipe, execution, lmHead, report, ctx, quantizeSeconds,
                    ModelLoader.nativeTypes(input, recipe));
            return;
        }

        ReferenceLogits reference = ReferenceLogits.compute(
                fullPrecision, windows, done -> progress.update("eval fp32", done, windows.size()));
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
                                input, recipe, () -> recipe.needsCalibration() ? calibration : null, progress, execution)
                        : fullPrecision);
            } catch (CliFailure e) {
                // One recipe that cannot be built must not cost the results of the others.
                failures.add(recipe + ": " + e.getMessage());
                printFailure(context, json, recipe, e.getMessage());
                continue;
            }
            double quantizeSeconds = (System.nanoTime() - start) / 1e9;
            EvalReport report = new TextEvaluator(model, reference)
                    .evaluate(windows, done -> progress.update("eval " + recipe, done, windows.size()));
            progress.clear();
            print(context, json, recipe, execution, lmHead, report, ctx, quantizeSeconds,
                    ModelLoader.nativeTypes(input, recipe));
        }
        if (!failures.isEmpty()) {
            throw new CliFailure(failures.size() + " of " + recipes.size() + " recipes failed: "
                    + String.join("; ", failures));
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
     * Prints one recipe's report as {@code int4 eval} does: one JSON line, or the text block.
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
        if (json) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("recipe", recipe.toString());
            fields.put("execution", ModelLoader.executionLabel(recipe, execution));
            if (ggufTypes != null) {
                fields.put("gguf_types", ggufTypes);
            }
            fields.put("lm_head", ModelLoader.lmHeadLabel(lmHead, recipe));
            fields.put("perplexity", report.perplexity());
            fields.put("mean_nll", report.meanNll());
            fields.put("kl_vs_fp32", report.klVsReference());
            fields.put("top1_agreement", report.top1Agreement());
            fields.put("tokens", report.tokens());
            fields.put("windows", report.windows());
            fields.put("ctx", ctx);
            fields.put("quantize_seconds", quantizeSeconds);
            JsonOutput.print(context.out(), fields);
            return;
        }
        context.out().printf(Locale.ROOT, "recipe          %s (%s, lm_head %s)%n", recipe,
                ModelLoader.executionLabel(recipe, execution), ModelLoader.lmHeadLabel(lmHead, recipe));
        context.out().printf(Locale.ROOT, "perplexity      %.4f (mean NLL %.4f nats)%n", report.perplexity(), report.meanNll());
        context.out().printf(Locale.ROOT, "KL vs fp32      %.6f nats/token%n", report.klVsReference());
        context.out().printf(Locale.ROOT, "top-1 agreement %.4f%n", report.top1Agreement());
        context.out().printf(Locale.ROOT, "scored          %d tokens in %d windows of %d%n", report.tokens(), report.windows(), ctx);
        context.out().printf(Locale.ROOT, "quantized in    %.1f s%n", quantizeSeconds);
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
