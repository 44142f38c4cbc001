package io.djlint4.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * GPT-2's reversible byte-to-character mapping: printable Latin-1 bytes stand for themselves and
 * the other 68 bytes map to U+0100 onwards, so every byte string becomes a string of visible
 * characters (a space becomes {@code Ġ}).
 */
final class ByteLevelAlphabet {

    private static final char[] CHAR_OF_BYTE = new char[256];
    private static final int[] BYTE_OF_CHAR = new int[512];

    static {
        Arrays.fill(BYTE_OF_CHAR, -1);
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
            char c = printable ? (char) b : (char) (256 + extra++);
            CHAR_OF_BYTE[b] = c;
            BYTE_OF_CHAR[c] = b;
        }
    }

    private ByteLevelAlphabet() {}

    /** Returns the character that stands for a byte. */
    static char charOf(int b) {
        return CHAR_OF_BYTE[b & 0xFF];
    }

    /** Maps UTF-8 bytes to their byte-level string. */
    static String encode(byte[] bytes) {
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chars[i] = CHAR_OF_BYTE[bytes[i] & 0xFF];
        }
        return new String(chars);
    }

    /**
     * Maps a byte-level token text back to bytes. A text with a character outside the alphabet is
     * not byte-level encoded (an added token, say); it decodes to its own UTF-8 bytes, as the
     * Hugging Face ByteLevel decoder does.
     */
    static byte[] decode(String text) {
        byte[] bytes = new byte[text.length()];
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int b = c < BYTE_OF_CHAR.length ? BYTE_OF_CHAR[c] : -1;
            if (b < 0) {
                return text.getBytes(StandardCharsets.UTF_8);
            }
            bytes[i] = (byte) b;
        }
        return bytes;
    }
}
