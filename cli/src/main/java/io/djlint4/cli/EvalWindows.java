package io.djlint4.cli;

import io.djlint4.eval.TokenWindows;
import io.djlint4.model.ModelConfig;
import io.djlint4.tokenizer.TextTokenizer;
import java.util.List;

/** Tokenizes a text file and cuts it into the BOS-led windows {@code eval} and {@code stats} run. */
public final class EvalWindows {

    public static final OptionSpec TEXT = OptionSpec.value("text", "FILE", "UTF-8 text to score (required)");
    public static final OptionSpec CTX = OptionSpec.value("ctx", "N", "window length in tokens, BOS included (default 512)");
    public static final OptionSpec MAX_WINDOWS = OptionSpec.value("max-windows", "N", "most windows to run; 0 runs all (default 0)");
    static final int DEFAULT_CTX = 512;

    private EvalWindows() {}

    /**
     * Reads the window length, checking it against the model's context.
     *
     * @param o the parsed options
     * @param config the model configuration
     * @return the window length
     * @throws UsageException when it exceeds the model's context
     */
    public static int ctx(ParsedOptions o, ModelConfig config) {
        int ctx = o.integer(CTX.name(), Math.min(DEFAULT_CTX, config.maxPositionEmbeddings()), 2);
        if (ctx > config.maxPositionEmbeddings()) {
            throw new UsageException("--ctx " + ctx + " exceeds the model's context of " + config.maxPositionEmbeddings());
        }
        return ctx;
    }

    /**
     * Tokenizes the text (special-token syntax in it is plain text) and splits it.
     *
     * @param text the text
     * @param tokenizer the tokenizer
     * @param ctx the window length
     * @param maxWindows the most windows, 0 for all
     * @return the windows, at least one
     * @throws CliFailure when the text is shorter than one window
     */
    public static List<long[]> split(String text, TextTokenizer tokenizer, int ctx, int maxWindows) {
        int[] tokens = tokenizer.encode(text, false, false);
        List<long[]> windows = TokenWindows.split(tokens, tokenizer.bosId(), ctx, maxWindows);
        if (windows.isEmpty()) {
            throw new CliFailure("the text has " + tokens.length + " tokens, fewer than one window of --ctx " + ctx
                    + "; give more text or a smaller --ctx");
        }
        return windows;
    }
}
