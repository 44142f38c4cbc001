package io.djlint4.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Splits normalized text into the pieces ("words") that byte-level BPE merges independently, as a
 * sequence of stages like a Hugging Face {@code Sequence} pre-tokenizer. Regex stages keep both the
 * matches and the text between them ("Isolated" behaviour).
 */
final class PreTokenizer {

    /** GPT-2's pattern (also the Hugging Face ByteLevel pre-tokenizer's built-in one). */
    static final String GPT2 =
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    /** Llama 3's pattern: numbers in groups of up to three digits. */
    static final String LLAMA3 =
            "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
                    + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /** Qwen2's pattern: like Llama 3 but every digit on its own. */
    static final String QWEN2 =
            "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
                    + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /** Splits off every digit (Hugging Face {@code Digits} with individual digits). */
    static final String SINGLE_DIGITS = "\\p{N}";

    /** Splits off runs of digits (Hugging Face {@code Digits} without individual digits). */
    static final String DIGIT_RUNS = "\\p{N}+";

    /** One step of the sequence: turns one piece into zero or more pieces. */
    interface Stage {
        void apply(String piece, List<String> out);
    }

    private final List<Stage> stages;

    PreTokenizer(List<Stage> stages) {
        this.stages = List.copyOf(stages);
    }

    /**
     * Returns the pre-tokenizer llama.cpp uses for a GGUF {@code tokenizer.ggml.pre} value.
     *
     * @param name the value; {@code null} means llama.cpp's default
     * @param source where the name came from, for the error message
     * @throws TokenizerFormatException for names this package does not know
     */
    static PreTokenizer forGgufName(String name, String source) throws TokenizerFormatException {
        String key = name == null ? "default" : name.toLowerCase(Locale.ROOT);
        switch (key) {
            case "qwen2":
            case "deepseek-r1-qwen":
            case "megrez":
            case "stablelm2":
                return of(regexSplit(QWEN2));
            case "llama3":
            case "llama-v3":
            case "llama-bpe":
            case "falcon3":
            case "dbrx":
            case "smaug-bpe":
                return of(regexSplit(LLAMA3));
            case "smollm":
            case "starcoder":
            case "refact":
            case "codeshell":
                return of(regexSplit(SINGLE_DIGITS), regexSplit(GPT2));
            case "gpt2":
            case "gpt-2":
            case "phi-2":
            case "mpt":
            case "olmo":
            case "roberta-bpe":
                return of(regexSplit(GPT2));
            case "default":
                // llama.cpp's fallback sequence for BPE vocabularies without a known pre-tokenizer.
                return of(
                        regexSplit("[\\p{P}\\$\\+<=>\\^~\\|]+"),
                        regexSplit(GPT2),
                        regexSplit("\\p{N}+"),
                        regexSplit("[0-9][0-9][0-9]"));
            default:
                throw new TokenizerFormatException(
                        source,
                        "unsupported tokenizer.ggml.pre '" + name + "' (supported: qwen2, "
                                + "deepseek-r1-qwen, megrez, stablelm2, llama3, llama-v3, llama-bpe, "
                                + "falcon3, dbrx, smaug-bpe, smollm, starcoder, refact, codeshell, "
                                + "gpt2, gpt-2, phi-2, mpt, olmo, roberta-bpe, default)");
        }
    }

    private static PreTokenizer of(Stage... stages) {
        return new PreTokenizer(List.of(stages));
    }

    /**
     * A stage that splits on a regex written for the Oniguruma/Rust engines of Hugging Face
     * tokenizers, keeping matches and gaps.
     *
     * @throws PatternSyntaxException when Java cannot compile the translated pattern
     */
    static Stage regexSplit(String pattern) {
        Pattern compiled = Pattern.compile(toJavaRegex(pattern));
        return (piece, out) -> {
            Matcher m = compiled.matcher(piece);
            int last = 0;
            while (m.find()) {
                if (m.start() > last) {
                    out.add(piece.substring(last, m.start()));
                }
                if (m.end() > m.start()) {
                    out.add(piece.substring(m.start(), m.end()));
                }
                last = m.end();
            }
            if (last < piece.length()) {
                out.add(last == 0 ? piece : piece.substring(last));
            }
        };
    }

    /** A stage that prefixes a space to pieces not starting with one (ByteLevel add_prefix_space). */
    static Stage prefixSpace() {
        return (piece, out) -> out.add(piece.startsWith(" ") ? piece : " " + piece);
    }

    /**
     * Rewrites {@code \s} and {@code \S} to Unicode White_Space classes: in the tokenizers' regex
     * engines they are Unicode-aware, in Java they are ASCII-only unless told otherwise.
     */
    static String toJavaRegex(String pattern) {
        StringBuilder sb = new StringBuilder(pattern.length() + 32);
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                char escaped = pattern.charAt(++i);
                if (escaped == 's') {
                    sb.append("\\p{IsWhite_Space}");
                } else if (escaped == 'S') {
                    sb.append("\\P{IsWhite_Space}");
                } else {
                    sb.append(c).append(escaped);
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * Splits text into pieces.
     *
     * @param text the (normalized) text between added tokens
     * @return the pieces, none empty, concatenating to the text (plus any prefix spaces)
     */
    List<String> split(String text) {
        List<String> pieces = new ArrayList<>();
        pieces.add(text);
        for (Stage stage : stages) {
            List<String> out = new ArrayList<>(pieces.size() * 2);
            for (String piece : pieces) {
                stage.apply(piece, out);
            }
            pieces = out;
        }
        return pieces;
    }
}
