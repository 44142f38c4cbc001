package io.djlint4.cli;

import io.djlint4.checkpoint.LoadedCheckpoint;
import io.djlint4.eval.EvalReport;
import io.djlint4.eval.TextEvaluator;
import io.djlint4.model.DecoderModel;
import io.djlint4.quant.QuantRecipe;
import io.djlint4.tokenizer.TextTokenizer;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code int4 eval}: perplexity of the recipe's model on a text, and its KL divergence and top-1
 * agreement against the full-precision model.
 */
final class EvalCommand implements Command {

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
                CommonOptions.TOKENIZER, CommonOptions.QUANT, CommonOptions.CALIB, CommonOptions.THREADS, CommonOptions.JSON,
                CommonOptions.VERBOSE);
    }

    @Override
    public void run(ParsedOptions o, CliContext context) throws Exception {
        boolean json = o.flag(CommonOptions.JSON.name());
        o.requirePath(CommonOptions.MODEL.name());
        Path textFile = o.requirePath(EvalWindows.TEXT.name());
        ModelLoader.recipe(o); // a bad --quant is a usage error, reported before loading
        int maxWindows = o.integer(EvalWindows.MAX_WINDOWS.name(), 0, 0);
        ModelLoader.applyThreads(o);
        String text = TextFiles.read(textFile);

        TerminalProgress progress = context.progress(json);
        ModelInput input = ModelLoader.input(o, progress);
        LoadedCheckpoint checkpoint = input.checkpoint();
        QuantRecipe recipe = ModelLoader.recipe(o, input);
        int ctx = EvalWindows.ctx(o, checkpoint.config());
        Path tokenizerPath = o.has(CommonOptions.TOKENIZER.name()) ? Paths.get(o.require(CommonOptions.TOKENIZER.name())) : null;
        TextTokenizer tokenizer = TokenizerLocator.locate(checkpoint, tokenizerPath);
        progress.stage("tokenizing " + textFile);
        List<long[]> windows = EvalWindows.split(text, tokenizer, ctx, maxWindows);
        progress.clear();
        DecoderModel reference = ModelLoader.reference(input, progress);
        DecoderModel model = input.isSaved() || recipe.isQuantized()
                ? ModelLoader.build(input, recipe, () -> ModelLoader.calibration(o, recipe, tokenizer), progress)
                : reference;

        EvalReport report = new TextEvaluator(model, reference)
                .evaluate(windows, done -> progress.update("eval", done, windows.size()));
        progress.clear();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("recipe", recipe.toString());
        fields.put("perplexity", report.perplexity());
        fields.put("mean_nll", report.meanNll());
        fields.put("kl_vs_fp32", report.klVsReference());
        fields.put("top1_agreement", report.top1Agreement());
        fields.put("tokens", report.tokens());
        fields.put("windows", report.windows());
        fields.put("ctx", ctx);
        if (json) {
            JsonOutput.print(context.out(), fields);
            return;
        }
        context.out().printf(Locale.ROOT, "recipe          %s%n", recipe);
        context.out().printf(Locale.ROOT, "perplexity      %.4f (mean NLL %.4f nats)%n", report.perplexity(), report.meanNll());
        context.out().printf(Locale.ROOT, "KL vs fp32      %.6f nats/token%n", report.klVsReference());
        context.out().printf(Locale.ROOT, "top-1 agreement %.4f%n", report.top1Agreement());
        context.out().printf(Locale.ROOT, "scored          %d tokens in %d windows of %d%n", report.tokens(), report.windows(), ctx);
    }
}
