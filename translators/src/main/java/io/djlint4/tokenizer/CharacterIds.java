package io.djlint4.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Finds the token for one UTF-8 character of the input, the first step of SentencePiece-style
 * encoding. ASCII characters, most of a typical text, come from a table instead of a new string and
 * a hash lookup each.
 */
final class CharacterIds {

    private final Map<String, Integer> idsByText;
    private final int[] asciiIds = new int[128];

    /** @param idsByText token ids keyed by the token's bytes as an ISO-8859-1 string */
    CharacterIds(Map<String, Integer> idsByText) {
        this.idsByText = idsByText;
        Arrays.fill(asciiIds, -1);
        for (int c = 0; c < 128; c++) {
            Integer id = idsByText.get(String.valueOf((char) c));
            if (id != null) {
                asciiIds[c] = id;
            }
        }
    }

    /** Returns the id of the character in {@code utf8[start, end)}, or -1 when it is no token. */
    int idOf(byte[] utf8, int start, int end) {
        if (end - start == 1 && utf8[start] >= 0) {
            return asciiIds[utf8[start]];
        }
        Integer id = idsByText.get(new String(utf8, start, end - start, StandardCharsets.ISO_8859_1));
        return id == null ? -1 : id;
    }
}
