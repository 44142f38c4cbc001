package io.djlint4.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Real byte-level vocabularies (SmolLM2) lack tokens for bytes their training text never had. */
class ByteLevelMissingBytesTest {

    private static Map<String, Object> metadata(int... missingBytes) {
        List<String> tokens = new ArrayList<>();
        outer:
        for (int b = 0; b < 256; b++) {
            for (int m : missingBytes) {
                if (m == b) {
                    continue outer;
                }
            }
            tokens.add(String.valueOf(ByteLevelAlphabet.charOf(b)));
        }
        return Map.of(
                GgufTokenizerFactory.MODEL, "gpt2",
                GgufTokenizerFactory.PRE, "gpt2",
                GgufTokenizerFactory.TOKENS, tokens.toArray(new String[0]),
                GgufTokenizerFactory.MERGES, new String[0]);
    }

    @Test
    void bytesWithoutATokenAreDroppedWhenEncoding() throws TokenizerFormatException {
        TextTokenizer tokenizer = GgufTokenizerFactory.fromMetadata(metadata(0x04, 0xF1), "smol.gguf");

        int[] ids = tokenizer.encode("a\u0004b", false, false);

        assertEquals("ab", tokenizer.decode(ids));
        assertArrayEquals(tokenizer.encode("ab", false, false), ids);
    }

    @Test
    void aVocabularyWithoutPrintableAsciiIsRejected() {
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class,
                () -> GgufTokenizerFactory.fromMetadata(metadata('A'), "odd.gguf"));
        assertEquals("odd.gguf: not a byte-level BPE vocabulary: no token for byte 0x41 ('A')", e.getMessage());
    }
}
