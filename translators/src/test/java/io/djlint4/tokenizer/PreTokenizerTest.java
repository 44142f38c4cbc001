package io.djlint4.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PreTokenizerTest {

    private static List<String> split(String ggufName, String text) throws TokenizerFormatException {
        return PreTokenizer.forGgufName(ggufName, "test").split(text);
    }

    @Test
    void digitGroupingDiffersPerFamily() throws TokenizerFormatException {
        assertEquals(List.of("1", "2", "3", "4", "5"), split("qwen2", "12345"));
        assertEquals(List.of("123", "45"), split("llama-bpe", "12345"));
        assertEquals(List.of("abc", " 12345"), split("gpt2", "abc 12345"));
        assertEquals(List.of("abc", " ", "1", "2", "3"), split("smollm", "abc 123"));
    }

    @Test
    void contractionsAreCaseInsensitiveOnlyInNewerPatterns() throws TokenizerFormatException {
        assertEquals(List.of("I", "'M", " here"), split("qwen2", "I'M here"));
        assertEquals(List.of("I", "'", "M", " here"), split("gpt2", "I'M here"));
        assertEquals(List.of("we", "'re"), split("llama3", "we're"));
    }

    @Test
    void whitespaceIsUnicodeAware() throws TokenizerFormatException {
        // U+3000 is whitespace for the tokenizers' regex engines; Java's plain \s would miss it and
        // give ["a", "\u3000\u3000", "b"].
        assertEquals(List.of("a", "\u3000", "\u3000b"), split("qwen2", "a\u3000\u3000b"));
        assertEquals(List.of("a", "  ", " b", "\n\n", "c"), split("qwen2", "a   b\n\nc"));
    }

    @Test
    void piecesConcatenateToTheInput() throws TokenizerFormatException {
        String text = "Mixed text: 3.14, «quotes», 中文 and 🦙!\r\n\tend  ";
        for (String name : new String[] {"qwen2", "llama3", "gpt2", "smollm", "default"}) {
            assertEquals(text, String.join("", split(name, text)), name);
            assertTrue(split(name, text).stream().noneMatch(String::isEmpty), name);
        }
        assertEquals(split("default", text), split(null, text), "a missing name means llama.cpp's default");
    }

    @Test
    void unknownNameIsRejected() {
        TokenizerFormatException e =
                assertThrows(TokenizerFormatException.class, () -> PreTokenizer.forGgufName("tekken", "m.gguf"));
        assertTrue(e.getMessage().startsWith("m.gguf: unsupported tokenizer.ggml.pre 'tekken'"), e.getMessage());
    }

    @Test
    void regexTranslationKeepsEscapedBackslashes() {
        assertEquals("\\p{IsWhite_Space}+\\P{IsWhite_Space}", PreTokenizer.toJavaRegex("\\s+\\S"));
        assertEquals("\\\\s[\\r\\n]", PreTokenizer.toJavaRegex("\\\\s[\\r\\n]"));
    }

    @Test
    void prefixSpaceStageAddsOneSpace() {
        PreTokenizer pre = new PreTokenizer(List.of(PreTokenizer.prefixSpace(), PreTokenizer.regexSplit(PreTokenizer.GPT2)));
        assertEquals(List.of(" hello", " world"), pre.split("hello world"));
        assertEquals(List.of(" hello"), pre.split(" hello"));
    }
}
