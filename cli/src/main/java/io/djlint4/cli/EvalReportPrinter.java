package io.djlint4.cli;

import io.djlint4.eval.EvalProtocol;
import io.djlint4.eval.EvalReport;
import io.djlint4.eval.KlStatistics;
import io.djlint4.eval.ScoredWindows;
import io.djlint4.eval.TextEvaluator;
import io.djlint4.model.ClassifierPrecision;
import io.djlint4.quant.Execution;
import io.djlint4.quant.QuantRecipe;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Scores the recipes of one {@code eval} run on its windows and prints each report. */
final class EvalReportPrinter {

    /**
     * What is known of one recipe's model besides its scores.
     *
     * @param recipe the recipe
     * @param quantizeSeconds how long building the model took
     * @param ggufTypes the GGUF types of a native run, or {@code null}
     * @param bpw the bits per weight of the decoder projections as built, or {@code null} when the
     *     model is not at hand
     * @param ggufBpw the bits per weight of the whole GGUF file of a native run, or {@code null}
     */
    record RecipeRun(QuantRecipe recipe, double quantizeSeconds, Map<String, Integer> ggufTypes, Double bpw,
            Double ggufBpw) {}

    private final CliContext context;
    private final boolean json;
    private final EvalProtocol protocol;
    private final int ctx;
    private final int firstScored;
    private final Execution execution;
    private final ClassifierPrecision lmHead;

    EvalReportPrinter(CliContext context, boolean json, EvalProtocol protocol, int ctx, int firstScored,
            Execution execution, ClassifierPrecision lmHead) {
        this.context = context;
        this.json = json;
        this.protocol = protocol;
        this.ctx = ctx;
        this.firstScored = firstScored;
        this.execution = execution;
        this.lmHead = lmHead;
    }

    /**
     * Scores a recipe's model and prints its report.
     *
     * @param run the recipe and its model's facts
     * @param evaluator the model and what it is compared with
     * @param windows the scored windows
     * @param progress shows how far scoring has got
     * @param baseLogits the saved base compared with, or {@code null}
     */
    void score(RecipeRun run, TextEvaluator evaluator, ScoredWindows windows, TerminalProgress progress,
            Path baseLogits) {
        EvalReport report = evaluator.evaluate(
                windows, done -> progress.update("eval " + run.recipe(), done, windows.windows().size()));
        progress.clear();
        print(run, report, baseLogits);
    }

    /**
     * Prints a report.
     *
     * @param run the recipe and its model's facts
     * @param report the report
     * @param baseLogits the saved base compared with (or written), or {@code null}
     */
    void print(RecipeRun run, EvalReport report, Path baseLogits) {
        QuantRecipe recipe = run.recipe();
        KlStatistics kl = report.klStatistics();
        if (json) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("recipe", recipe.toString());
            fields.put("execution", ModelLoader.executionLabel(recipe, execution));
            if (run.ggufTypes() != null) {
                fields.put("gguf_types", run.ggufTypes());
            }
            fields.put("lm_head", ModelLoader.lmHeadLabel(lmHead, recipe));
            fields.put("bpw", run.bpw());
            if (run.ggufBpw() != null) {
                fields.put("gguf_bpw", run.ggufBpw());
            }
            fields.put("protocol", protocol.label());
            fields.put("perplexity", report.perplexity());
            fields.put("mean_nll", report.meanNll());
            fields.put("perplexity_base", kl == null ? null : report.referencePerplexity());
            fields.put("ppl_ratio", kl == null ? null : report.perplexityRatio());
            fields.put("kl_vs_fp32", report.klVsReference());
            fields.put("kl_median", kl == null ? null : kl.median());
            fields.put("kl_p90", kl == null ? null : kl.p90());
            fields.put("kl_p95", kl == null ? null : kl.p95());
            fields.put("kl_p99", kl == null ? null : kl.p99());
            fields.put("kl_p99_9", kl == null ? null : kl.p999());
            fields.put("kl_max", kl == null ? null : kl.max());
            fields.put("top1_agreement", report.top1Agreement());
            fields.put("tokens", report.tokens());
            fields.put("windows", report.windows());
            fields.put("ctx", ctx);
            fields.put("first_scored", firstScored);
            fields.put("base_logits", baseLogits == null ? null : baseLogits.toString());
            fields.put("quantize_seconds", run.quantizeSeconds());
            JsonOutput.print(context.out(), fields);
            return;
        }
        var out = context.out();
        out.printf(Locale.ROOT, "recipe          %s (%s, lm_head %s)%n", recipe,
                ModelLoader.executionLabel(recipe, execution), ModelLoader.lmHeadLabel(lmHead, recipe));
        if (run.bpw() != null) {
            out.printf(Locale.ROOT, "bits per weight %.4f (decoder projections, scales and zeros included)%s%n",
                    run.bpw(), run.ggufBpw() == null ? "" : String.format(Locale.ROOT, "; whole GGUF file %.4f",
                            run.ggufBpw()));
        }
        out.printf(Locale.ROOT, "perplexity      %.4f (mean NLL %.4f nats)%n", report.perplexity(), report.meanNll());
        if (kl != null) {
            out.printf(Locale.ROOT, "base perplexity %.4f (PPL ratio %.6f)%n", report.referencePerplexity(),
                    report.perplexityRatio());
        }
        out.printf(Locale.ROOT, "KL vs fp32      %.6f nats/token%n", report.klVsReference());
        if (kl != null) {
            out.printf(Locale.ROOT, "KL percentiles  median %.6f, 90%% %.6f, 95%% %.6f, 99%% %.6f, 99.9%% %.6f, max %.6f%n",
                    kl.median(), kl.p90(), kl.p95(), kl.p99(), kl.p999(), kl.max());
        }
        out.printf(Locale.ROOT, "top-1 agreement %.4f%n", report.top1Agreement());
        out.printf(Locale.ROOT, "scored          %d tokens in %d windows of %d (%s protocol, positions %d..%d)%n",
                report.tokens(), report.windows(), ctx, protocol.label(), firstScored, ctx - 2);
        if (baseLogits != null) {
            out.printf(Locale.ROOT, "base logits     %s%n", baseLogits);
        }
        out.printf(Locale.ROOT, "quantized in    %.1f s%n", run.quantizeSeconds());
    }
}
