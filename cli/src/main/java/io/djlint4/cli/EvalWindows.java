package io.djlint4.cli;

import io.djlint4.eval.EvalProtocol;
import io.djlint4.eval.ScoredWindows;
import io.djlint4.model.ModelConfig;
import io.djlint4.tokenizer.TextTokenizer;
import java.util.List;

/** Tokenizes a text file and cuts it into the windows {@code eval} and {@code stats} run. */
public final class EvalWindows {

    public static final OptionSpec TEXT = OptionSpec.value("text", "FILE", "UTF-8 text to score (required)");
    public static final OptionSpec CTX = OptionSpec.value("ctx", "N", "window length in tokens, BOS included (default 512)");
    public static final OptionSpec MAX_WINDOWS = OptionSpec.value("max-windows", "N", "most windows to run; 0 runs all (default 0)");
    static final OptionSpec CHUNKS = OptionSpec.value("chunks", "N", "the same as --max-windows, llama-perplexity's name");
    static final OptionSpec PROTOCOL = OptionSpec.value("protocol", "NAME", "windows (default): the text without BOS in"
            + " windows of BOS + ctx-1 tokens, every position scored; llama.cpp: as llama-perplexity, the text"
            + " tokenized once (one trailing newline dropped, BOS first when the vocabulary adds one), chunks of"
            + " ctx tokens whose first becomes that BOS, only the second half of each chunk scored");
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
     * Reads {@code --protocol}.
     *
     * @param o the parsed options
     * @return the protocol, {@link EvalProtocol#WINDOWS} when absent
     * @throws UsageException for an unknown name
     */
    static EvalProtocol protocol(ParsedOptions o) {
        try {
            return EvalProtocol.named(o.string(PROTOCOL.name(), EvalProtocol.WINDOWS.label()));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--protocol: " + e.getMessage());
        }
    }

    /**
     * Reads the most windows to run: {@code --max-windows} or its synonym {@code --chunks}.
     *
     * @param o the parsed options
     * @param fallback the number when neither is given
     * @return the number, 0 for all
     * @throws UsageException when both are given
     */
    static int maxWindows(ParsedOptions o, int fallback) {
        if (o.has(CHUNKS.name()) && o.has(MAX_WINDOWS.name())) {
            throw new UsageException("--chunks and --max-windows are the same option; give one");
        }
        String name = o.has(CHUNKS.name()) ? CHUNKS.name() : MAX_WINDOWS.name();
        return o.integer(name, fallback, 0);
    }

    /**
     * Tokenizes the text (special-token syntax in it is plain text) and cuts it by today's
     * protocol.
     *
     * @param text the text
     * @param tokenizer the tokenizer
     * @param ctx the window length
     * @param maxWindows the most windows, 0 for all
     * @return the windows, at least one
     * @throws CliFailure when the text is shorter than one window
     */
    public static List<long[]> split(String text, TextTokenizer tokenizer, int ctx, int maxWindows) {
        return split(text, tokenizer, EvalProtocol.WINDOWS, ctx, maxWindows).windows();
    }

    /**
     * Tokenizes the text as the protocol says (special-token syntax in it is plain text, as
     * llama-perplexity tokenizes it) and cuts it.
     *
     * @param text the text
     * @param tokenizer the tokenizer
     * @param protocol the protocol
     * @param ctx the window length
     * @param maxWindows the most windows, 0 for all
     * @return the scored windows, at least one
     * @throws CliFailure when the text is too short for the protocol
     */
    static ScoredWindows split(String text, TextTokenizer tokenizer, EvalProtocol protocol, int ctx, int maxWindows) {
        if (protocol == EvalProtocol.WINDOWS) {
            int[] tokens = tokenizer.encode(text, false, false);
            ScoredWindows windows = protocol.cut(tokens, tokenizer.bosId(), ctx, maxWindows);
            if (windows.windows().isEmpty()) {
                throw new CliFailure("the text has " + tokens.length + " tokens, fewer than one window of --ctx " + ctx
                        + "; give more text or a smaller --ctx");
            }
            return windows;
        }
        if (ctx < 4) {
            throw new UsageException("--protocol llama.cpp needs --ctx of at least 4, got " + ctx);
        }
        // llama-perplexity reads the file dropping one trailing newline, then tokenizes it with the
        // vocabulary's own BOS setting and no special-token parsing (common_tokenize(ctx, text, true)).
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        boolean addBos = tokenizer.addBosByDefault() && tokenizer.bosId() >= 0;
        int[] tokens = tokenizer.encode(body, addBos, false);
        ScoredWindows windows = protocol.cut(tokens, addBos ? tokenizer.bosId() : -1, ctx, maxWindows);
        if (windows.windows().isEmpty()) {
            throw new CliFailure("the text has " + tokens.length + " tokens; the llama.cpp protocol needs at least 2 x"
                    + " --ctx = " + 2 * ctx + "; give more text or a smaller --ctx");
        }
        return windows;
    }
}
