package io.djlint4.cli;

import io.djlint4.checkpoint.LoadedCheckpoint;
import io.djlint4.eval.ActivationStatistics;
import io.djlint4.eval.SlotStatistics;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ForwardRequest;
import io.djlint4.quant.QuantRecipe;
import io.djlint4.tokenizer.TextTokenizer;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code int4 stats}: per layer and linear slot, the input channels with the largest activations
 * (outlier channels) and the token with the largest activation (massive activations).
 */
final class StatsCommand implements Command {

    private static final OptionSpec TOP = OptionSpec.value("top", "N", "channels to list per slot (default 5)");
    private static final int DEFAULT_WINDOWS = 4;

    @Override
    public String name() {
        return "stats";
    }

    @Override
    public String summary() {
        return "activation outlier statistics per layer and linear slot";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(CommonOptions.MODEL, EvalWindows.TEXT, EvalWindows.CTX,
                OptionSpec.value(EvalWindows.MAX_WINDOWS.name(), "N", "most windows to run; 0 runs all (default 4)"),
                TOP, CommonOptions.TOKENIZER, CommonOptions.QUANT, CommonOptions.CALIB, CommonOptions.CALIB_SAMPLES, CommonOptions.CALIB_LEN,
                CommonOptions.WEIGHT_BUDGET,
                CommonOptions.THREADS, CommonOptions.JSON,
                CommonOptions.VERBOSE);
    }

    @Override
    public void run(ParsedOptions o, CliContext context) throws Exception {
        boolean json = o.flag(CommonOptions.JSON.name());
        o.requirePath(CommonOptions.MODEL.name());
        Path textFile = o.requirePath(EvalWindows.TEXT.name());
        ModelLoader.recipe(o); // a bad --quant is a usage error, reported before loading
        int maxWindows = o.integer(EvalWindows.MAX_WINDOWS.name(), DEFAULT_WINDOWS, 0);
        int top = o.integer(TOP.name(), 5, 1);
        ModelLoader.applyThreads(o);
        String text = TextFiles.read(textFile);

        TerminalProgress progress = context.progress(json);
        ModelInput input = ModelLoader.input(o, progress);
        LoadedCheckpoint checkpoint = input.checkpoint();
        QuantRecipe recipe = ModelLoader.recipe(o, input);
        int ctx = EvalWindows.ctx(o, checkpoint.config());
        Path tokenizerPath = o.has(CommonOptions.TOKENIZER.name()) ? Paths.get(o.require(CommonOptions.TOKENIZER.name())) : null;
        TextTokenizer tokenizer = TokenizerLocator.locate(checkpoint, tokenizerPath);
        List<long[]> windows = EvalWindows.split(text, tokenizer, ctx, maxWindows);
        DecoderModel model =
                ModelLoader.build(input, recipe, ModelLoader.settings(o),
                        () -> ModelLoader.calibration(o, recipe, tokenizer, input.weights(), progress), progress);

        ActivationStatistics statistics = new ActivationStatistics();
        for (int i = 0; i < windows.size(); i++) {
            long[] w = windows.get(i);
            model.forward(ForwardRequest.of(w, false).withObserver(statistics));
            statistics.advance(w.length);
            progress.update("stats", i + 1, windows.size());
        }
        progress.clear();
        List<SlotStatistics> slots = statistics.summarize(top);
        if (json) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("recipe", recipe.toString());
            fields.put("tokens", (long) windows.size() * ctx);
            fields.put("windows", windows.size());
            fields.put("ctx", ctx);
            List<Map<String, Object>> rows = new ArrayList<>();
            for (SlotStatistics s : slots) {
                rows.add(toJson(s, windows, ctx, tokenizer));
            }
            fields.put("slots", rows);
            JsonOutput.print(context.out(), fields);
            return;
        }
        context.out().printf(Locale.ROOT, "%d windows of %d tokens, recipe %s%n", windows.size(), ctx, recipe);
        context.out().printf(Locale.ROOT, "%-5s %-7s %9s %9s %-40s %10s  %s%n",
                "layer", "slot", "ch-ratio", "tok-ratio", "top channels (max |x|)", "max tok |x|", "at window:pos token");
        for (SlotStatistics s : slots) {
            StringBuilder channels = new StringBuilder();
            for (int i = 0; i < s.topChannels().length; i++) {
                channels.append(i == 0 ? "" : " ")
                        .append(String.format(Locale.ROOT, "%d(%.2f)", s.topChannels()[i], s.topChannelMax()[i]));
            }
            int window = (int) (s.maxToken() / ctx);
            int pos = (int) (s.maxToken() % ctx);
            context.out().printf(Locale.ROOT, "%-5d %-7s %9.2f %9.2f %-40s %10.3f  %d:%d %s%n",
                    s.layer(), s.slot(), s.channelOutlierRatio(), s.tokenOutlierRatio(), channels, s.maxTokenAbs(),
                    window, pos, quoted(tokenAt(windows, window, pos, tokenizer)));
        }
    }

    private static Map<String, Object> toJson(SlotStatistics s, List<long[]> windows, int ctx, TextTokenizer tokenizer) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("layer", s.layer());
        row.put("slot", s.slot().name());
        List<Map<String, Object>> channels = new ArrayList<>();
        for (int i = 0; i < s.topChannels().length; i++) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("channel", s.topChannels()[i]);
            c.put("max_abs", s.topChannelMax()[i]);
            channels.add(c);
        }
        row.put("top_channels", channels);
        row.put("median_channel_max", s.medianChannelMax());
        row.put("channel_outlier_ratio", s.channelOutlierRatio());
        int window = (int) (s.maxToken() / ctx);
        int pos = (int) (s.maxToken() % ctx);
        row.put("max_token_abs", s.maxTokenAbs());
        row.put("max_token_window", window);
        row.put("max_token_position", pos);
        row.put("max_token_text", tokenAt(windows, window, pos, tokenizer));
        row.put("median_token_max", s.medianTokenMax());
        row.put("token_outlier_ratio", s.tokenOutlierRatio());
        return row;
    }

    /** The text of the token at a window position; special tokens such as BOS show as their id. */
    private static String tokenAt(List<long[]> windows, int window, int pos, TextTokenizer tokenizer) {
        if (window < 0 || window >= windows.size()) {
            return "";
        }
        int id = (int) windows.get(window)[pos];
        return tokenizer.isSpecial(id) ? "<special " + id + ">" : tokenizer.tokenText(id);
    }

    private static String quoted(String token) {
        return "'" + token.replace("\n", "\\n") + "'";
    }
}
