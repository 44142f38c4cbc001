package io.djlint4.quant.calib;

import java.util.Set;

/**
 * Turns WikiText's tokenized text (the word-level {@code wiki.*.tokens} files and the {@code
 * wiki.*.raw} ones alike) back into running text before a subword tokenizer sees it, as the papers
 * calibrate on raw text. In those files every token stands between single spaces, numbers are split
 * as {@code 1 @,@ 000} and {@code 3 @.@ 5}, hyphenated words as {@code well @-@ known}, and
 * headings as {@code = = Title = =}. Tokens the word-level vocabulary dropped stay {@code <unk>}:
 * the original words are not recoverable.
 *
 * <p>A text is taken to be in this format when it contains one of the separators {@code " @-@ "},
 * {@code " @,@ "} or {@code " @.@ "}, which every WikiText file has by the thousand and ordinary
 * text does not; any other text is used as it is. The rule looks at the contents rather than the
 * file name because both of WikiText's file kinds carry the format.
 */
public final class WikiTextDetokenizer {

    /** Tokens written against the word before them. */
    private static final Set<String> CLOSING =
            Set.of(",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "'m", "'ve", "'re", "'ll", "'d", "n't");

    /** Tokens written against the word after them. */
    private static final Set<String> OPENING = Set.of("(", "[", "{");

    /** WikiText's number and hyphen separators: {@code @-@} stands for {@code -} with no spaces. */
    private static final Set<String> JOINERS = Set.of("@-@", "@,@", "@.@");

    private WikiTextDetokenizer() {}

    /**
     * Returns whether a text is in WikiText's tokenized format: whether it has one of its separators.
     *
     * @param text the text
     * @return whether it contains {@code " @-@ "}, {@code " @,@ "} or {@code " @.@ "}
     */
    public static boolean isTokenized(String text) {
        for (String joiner : JOINERS) {
            if (text.contains(" " + joiner + " ")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns a calibration text ready for the model's tokenizer: detokenized when {@link
     * #isTokenized} says it is WikiText's format, else unchanged.
     *
     * @param text the text as read
     * @return the text to encode
     */
    public static String prepare(String text) {
        return isTokenized(text) ? detokenize(text) : text;
    }

    /**
     * Detokenizes WikiText line by line; lines stay lines.
     *
     * @param text tokenized text
     * @return running text
     */
    public static String detokenize(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int start = 0;
        while (start <= text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            detokenizeLine(text.substring(start, end), out);
            if (end < text.length()) {
                out.append('\n');
            }
            start = end + 1;
        }
        return out.toString();
    }

    private static void detokenizeLine(String line, StringBuilder out) {
        String previous = null;
        boolean quoteOpen = false;
        boolean glueNext = false;
        for (String token : line.trim().split(" +")) {
            if (token.isEmpty()) {
                continue;
            }
            boolean glue = glueNext;
            glueNext = false;
            String written = token;
            if (JOINERS.contains(token)) {
                written = token.substring(1, 2);
                glue = true;
                glueNext = true;
            } else if (token.equals("\"")) {
                // Straight double quotes alternate: an opening one sticks to the next word, a closing one to the last.
                quoteOpen = !quoteOpen;
                glue |= !quoteOpen;
                glueNext = quoteOpen;
            } else if (OPENING.contains(token)) {
                glueNext = true;
            } else if (CLOSING.contains(token)
                    || token.equals("=") && "=".equals(previous)
                    || token.equals("'") && previous != null && previous.endsWith("s")) {
                glue = true;
            }
            if (previous != null && !glue) {
                out.append(' ');
            }
            out.append(written);
            previous = token;
        }
    }
}
