package io.djlint4.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * How a tokenized text becomes scored windows.
 *
 * <ul>
 *   <li>{@link #WINDOWS}: the text's tokens (no BOS) in consecutive windows of {@code ctx - 1},
 *       each led by BOS, every position scored ({@link TokenWindows}).
 *   <li>{@link #LLAMA_CPP}: what {@code llama-perplexity} does (tools/perplexity/perplexity.cpp,
 *       {@code perplexity()} and {@code kl_divergence()}): the whole text tokenized once with BOS
 *       first when the vocabulary adds one, cut into contiguous chunks of {@code ctx} tokens
 *       ({@code tokens / ctx} of them, the tail dropped), the first token of every chunk replaced
 *       by BOS (when the vocabulary adds one), and only the logits of positions {@code ctx / 2 ..
 *       ctx - 2} scored, {@code ctx - 1 - ctx / 2} tokens per chunk. llama.cpp refuses a text of
 *       fewer than {@code 2 * ctx} tokens, and so does this.
 * </ul>
 */
public enum EvalProtocol {
    /** BOS-led windows of {@code ctx - 1} text tokens, every position scored. */
    WINDOWS("windows"),
    /** llama-perplexity's chunks: BOS replaces each chunk's first token, the second half scored. */
    LLAMA_CPP("llama.cpp");

    private final String label;

    EvalProtocol(String label) {
        this.label = label;
    }

    /**
     * Returns the name the command line uses.
     *
     * @return {@code windows} or {@code llama.cpp}
     */
    public String label() {
        return label;
    }

    /**
     * Finds a protocol by its label.
     *
     * @param label {@code windows} or {@code llama.cpp}
     * @return the protocol
     * @throws IllegalArgumentException naming the valid labels
     */
    public static EvalProtocol named(String label) {
        for (EvalProtocol p : values()) {
            if (p.label.equals(label)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown protocol '" + label + "'; use windows or llama.cpp");
    }

    /**
     * Cuts tokens into scored windows.
     *
     * @param tokens for {@link #WINDOWS} the text's tokens without BOS; for {@link #LLAMA_CPP} the
     *     whole text tokenized as llama.cpp does, BOS first when the vocabulary adds one
     * @param bos the BOS id, or a negative value when the vocabulary adds none (then {@link
     *     #LLAMA_CPP} leaves the chunks as they are and {@link #WINDOWS} uses plain windows)
     * @param ctx the window (chunk) length in tokens
     * @param maxWindows the most windows (chunks), or 0 for all
     * @return the windows; empty when the text is too short
     */
    public ScoredWindows cut(int[] tokens, int bos, int ctx, int maxWindows) {
        if (this == WINDOWS) {
            return ScoredWindows.all(TokenWindows.split(tokens, bos, ctx, maxWindows));
        }
        if (ctx < 4) {
            throw new IllegalArgumentException("the llama.cpp protocol needs a context of at least 4, got " + ctx);
        }
        List<long[]> chunks = new ArrayList<>();
        if (tokens.length >= 2 * ctx) {
            int count = tokens.length / ctx;
            if (maxWindows > 0) {
                count = Math.min(count, maxWindows);
            }
            for (int c = 0; c < count; c++) {
                long[] chunk = new long[ctx];
                for (int i = 0; i < ctx; i++) {
                    chunk[i] = tokens[c * ctx + i];
                }
                if (bos >= 0) {
                    chunk[0] = bos;
                }
                chunks.add(chunk);
            }
        }
        return new ScoredWindows(chunks, ctx / 2);
    }
}
