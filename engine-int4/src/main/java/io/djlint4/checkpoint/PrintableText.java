package io.djlint4.checkpoint;

/**
 * Makes text from a file safe to print in a one-line message: control characters (NUL, BEL, form
 * feed, line breaks, escape sequences) would otherwise act on the terminal or split the line.
 */
public final class PrintableText {

    private PrintableText() {}

    /**
     * Escapes control characters.
     *
     * @param text any text, possibly {@code null}
     * @return the text with {@code \n}, {@code \r}, {@code \t} written as such and other C0/C1
     *     controls and DEL as {@code \xNN}; {@code null} stays {@code null}
     */
    public static String escape(String text) {
        if (text == null || text.chars().noneMatch(PrintableText::isControl)) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isControl(c)) {
                sb.append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else {
                sb.append(String.format("\\x%02x", (int) c));
            }
        }
        return sb.toString();
    }

    private static boolean isControl(int c) {
        return c < 0x20 || (c >= 0x7f && c < 0xa0);
    }
}
