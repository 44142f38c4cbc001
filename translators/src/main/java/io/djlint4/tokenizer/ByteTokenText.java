package io.djlint4.tokenizer;

/** Recognises and writes SentencePiece byte-fallback token texts such as {@code <0x0A>}. */
final class ByteTokenText {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private ByteTokenText() {}

    /** Returns the byte value (0..255) of a text like {@code <0x0A>}, or -1 for any other text. */
    static int parse(String text) {
        if (text.length() != 6 || !text.startsWith("<0x") || text.charAt(5) != '>') {
            return -1;
        }
        int high = Character.digit(text.charAt(3), 16);
        int low = Character.digit(text.charAt(4), 16);
        return high < 0 || low < 0 ? -1 : high * 16 + low;
    }

    /** Returns the token text for a byte, for example {@code <0x0A>} for 10. */
    static String of(int value) {
        return "<0x" + HEX[(value >> 4) & 0xF] + HEX[value & 0xF] + ">";
    }
}
