package io.djlint4.cli;

import io.djlint4.bench.BenchReport;
import io.djlint4.bench.GenerationBenchmark;
import io.djlint4.bench.PeakResidentMemory;
import io.djlint4.checkpoint.HfConfigParser;
import io.djlint4.checkpoint.LoadedCheckpoint;
import io.djlint4.kernels.KernelThreads;
import io.djlint4.model.ClassifierPrecision;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.model.RandomWeights;
import io.djlint4.quant.Execution;
import io.djlint4.quant.QuantRecipe;
import io.djlint4.quant.calib.CalibrationSet;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code int4 bench}: prefill and decode throughput and peak heap, on a checkpoint or on random
 * weights at the shape of a {@code config.json} (speed does not depend on the weight values).
 */
final class BenchCommand implements Command {

    private static final OptionSpec PROMPT_TOKENS = OptionSpec.value("prompt-tokens", "N", "prompt length; 0 decodes from an empty cache like llama-bench tg (default 128)");
    private static final OptionSpec GEN_TOKENS = OptionSpec.value("gen-tokens", "N", "tokens to decode (default 32)");
    private static final OptionSpec ROUNDS = OptionSpec.value("rounds", "N", "measured rounds after a warm-up; the best counts (default 3)");
    private static final OptionSpec BATCH = OptionSpec.value("batch", "N", "sequences decoded together, each step one token of each, as a server batches streams; rates count all of them (default 1)");
    private static final OptionSpec SHAPE = OptionSpec.value(
            "shape", "CONFIG.json", "benchmark random weights of this Hugging Face config instead of --model");
    private static final long RANDOM_SEED = 1;

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "prefill/decode tokens per second and peak heap";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(CommonOptions.MODEL, SHAPE, PROMPT_TOKENS, GEN_TOKENS, ROUNDS, BATCH, CommonOptions.QUANT,
                CommonOptions.SIMULATED, CommonOptions.LM_HEAD, CommonOptions.THREADS, CommonOptions.JSON,
                CommonOptions.VERBOSE);
    }

    @Override
    public void run(ParsedOptions o, CliContext context) throws Exception {
        boolean json = o.flag(CommonOptions.JSON.name());
        boolean shape = o.has(SHAPE.name());
        if (shape == o.has(CommonOptions.MODEL.name())) {
            throw new UsageException("bench: give exactly one of --model and --shape");
        }
        ModelLoader.recipe(o); // a bad --quant is a usage error, reported before loading
        int promptTokens = o.integer(PROMPT_TOKENS.name(), 128, 0);
        int genTokens = o.integer(GEN_TOKENS.name(), 32, 1);
        int rounds = o.integer(ROUNDS.name(), 3, 1);
        int batch = o.integer(BATCH.name(), 1, 1);
        ClassifierPrecision lmHead = ModelLoader.lmHead(o);
        ModelLoader.applyThreads(o);

        TerminalProgress progress = context.progress(json);
        ModelInput input;
        String source;
        if (shape) {
            Path config = o.requirePath(SHAPE.name());
            ModelConfig c = HfConfigParser.parse(config);
            progress.stage("building random weights of " + config);
            ModelWeights weights = RandomWeights.of(c, RANDOM_SEED);
            input = new ModelInput(new LoadedCheckpoint(c, weights, Map.of(), config), null);
            progress.clear();
            source = "random weights shaped like " + config;
        } else {
            input = ModelLoader.input(o, progress);
            source = o.require(CommonOptions.MODEL.name());
        }
        QuantRecipe recipe = ModelLoader.recipe(o, input);
        int vocab = input.checkpoint().config().vocabSize();
        // Speed does not depend on what calibration sees, so random tokens stand in for text here.
        Execution execution = ModelLoader.execution(o);
        DecoderModel model = lmHead.apply(ModelLoader.build(input, recipe, ModelLoader.settings(o),
                () -> recipe.needsCalibration() ? CalibrationSet.random(vocab, 4, 128, RANDOM_SEED) : null, progress,
                execution));
        progress.stage("benchmarking " + (rounds + 1) + " rounds (1 warm-up)");
        BenchReport report;
        try {
            report = new GenerationBenchmark(model).run(promptTokens, genTokens, rounds, batch);
        } finally {
            progress.clear();
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("source", source);
        fields.put("recipe", recipe.toString());
        fields.put("execution", ModelLoader.executionLabel(recipe, execution));
        Map<String, Integer> ggufTypes = ModelLoader.nativeTypes(input, recipe);
        if (ggufTypes != null) {
            fields.put("gguf_types", ggufTypes);
        }
        fields.put("lm_head", ModelLoader.lmHeadLabel(lmHead, recipe));
        fields.put("threads", KernelThreads.threads());
        fields.put("prompt_tokens", report.promptTokens());
        fields.put("gen_tokens", report.genTokens());
        fields.put("rounds", rounds);
        fields.put("batch", batch);
        fields.put("prefill_tokens_per_s", report.prefillTokensPerSecond());
        fields.put("decode_tokens_per_s", report.decodeTokensPerSecond());
        fields.put("peak_heap_bytes", report.peakHeapBytes());
        long peakRss = PeakResidentMemory.bytes();
        fields.put("peak_rss_bytes", peakRss);
        if (json) {
            JsonOutput.print(context.out(), fields);
            return;
        }
        context.out().printf(Locale.ROOT, "model    %s%n", source);
        context.out().printf(Locale.ROOT, "recipe   %s (%s, lm_head %s), %d threads%n", recipe,
                ModelLoader.executionLabel(recipe, execution), ModelLoader.lmHeadLabel(lmHead, recipe), KernelThreads.threads());
        if (report.promptTokens() > 0) {
            context.out().printf(Locale.ROOT, "prefill  %.1f tokens/s (%d-token prompt%s, best of %d)%n",
                    report.prefillTokensPerSecond(), report.promptTokens(), sequences(batch), rounds);
        }
        context.out().printf(Locale.ROOT, "decode   %.1f tokens/s (%d tokens%s, best of %d)%n",
                report.decodeTokensPerSecond(), report.genTokens(), sequences(batch), rounds);
        context.out().printf(Locale.ROOT, "peak heap %.1f MiB%n", report.peakHeapBytes() / (1024.0 * 1024.0));
        if (peakRss >= 0) {
            context.out().printf(Locale.ROOT, "peak RSS %.1f MiB (the whole process)%n", peakRss / (1024.0 * 1024.0));
        }
    }

    private static String sequences(int batch) {
        return batch == 1 ? "" : " each of " + batch + " sequences together";
    }
}
