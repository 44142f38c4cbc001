package io.djlint4.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Compares the Qwen3 byte-level BPE with Hugging Face tokenizers (Rust, through DJL). */
class ByteLevelBpeTokenizerTest {

    private static final double MAX_ENCODE_SECONDS = 20;

    private static final String QWEN3_DIR = "models/qwen3-tokenizer";
    private static final String WIKI = "data/wikitext-2/wiki.test.raw";

    static final List<String> TEXTS = List.of(
            "Hello world",
            "The quick brown fox jumps over the lazy dog.",
            "12345",
            "Numbers: 3.14159, 1,000,000 and 2^32 = 4294967296",
            "def add(a, b):\n    return a + b\n",
            "    indented\n\n\n  \t tabs and   spaces   ",
            "line1\r\nline2\rline3\n",
            "你好，世界！这是一个测试。",
            "日本語のテキストと한국어 텍스트",
            "Emoji: 😀👍🏽🦙 and flags 🇩🇪",
            "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n",
            "I'm sure you're right, they've said it's DON'T and WE'LL",
            "Ünïcödé naïve café Straße — “quotes” and ‘single’ …",
            "https://example.com/path?query=1&x=y#frag",
            "{\"key\": [1, 2, 3], \"nested\": {\"a\": null}}",
            "   ",
            "\n\n",
            "Text with <think>reasoning</think> tags",
            "Mixed\u00A0no-break\u3000ideographic space",
            "decomposed e\u0301 and precomposed \u00e9",
            "<|endoftext|>after the end",
            "");

    private static HuggingFaceTokenizer reference;
    private static ByteLevelBpeTokenizer tokenizer;

    @BeforeAll
    static void load() throws IOException {
        Path dir = SharedTestFiles.require(QWEN3_DIR);
        // Local path only (offline); DJL would otherwise truncate to 512 tokens.
        reference = HuggingFaceTokenizer.newInstance(dir, Map.of("truncation", "false"));
        tokenizer = ByteLevelBpeTokenizer.fromTokenizerJson(dir.resolve("tokenizer.json"));
    }

    @AfterAll
    static void close() {
        if (reference != null) {
            reference.close();
        }
    }

    private static int[] referenceIds(String text) {
        return Arrays.stream(reference.encode(text, true, false).getIds()).mapToInt(Math::toIntExact).toArray();
    }

    @Test
    void matchesHuggingFaceOnVariedTexts() {
        for (String text : TEXTS) {
            assertArrayEquals(referenceIds(text), tokenizer.encode(text, false), "encoding of '" + text + "'");
        }
    }

    @Test
    void matchesHuggingFaceOnWikitextLines() throws IOException {
        String raw = SharedTestFiles.readString(WIKI);
        String head = raw.substring(0, raw.indexOf('\n', 20_000) + 1);
        int lines = 0;
        for (String line : head.split("(?<=\n)")) {
            assertArrayEquals(referenceIds(line), tokenizer.encode(line, false), "encoding of '" + line + "'");
            assertEquals(line, tokenizer.decode(tokenizer.encode(line, false)));
            lines++;
        }
        assertTrue(lines > 50, "expected many lines, got " + lines);
    }

    @Test
    void decodeRoundTripsAndAgreesWithHuggingFace() {
        for (String text : TEXTS) {
            int[] ids = tokenizer.encode(text, false);
            long[] longIds = Arrays.stream(ids).asLongStream().toArray();
            assertEquals(reference.decode(longIds, true), tokenizer.decode(ids), "decoding of '" + text + "'");
            String expected = Normalizer.normalize(text, Normalizer.Form.NFC)
                    .replace("<|im_start|>", "").replace("<|im_end|>", "").replace("<|endoftext|>", "");
            assertEquals(expected, tokenizer.decode(ids), "round trip of '" + text + "'");
        }
    }

    @Test
    void specialTokensAreWholeIdsOnlyWhenParsed() {
        assertEquals(151644, tokenizer.idOf("<|im_start|>").getAsInt());
        assertEquals(151645, tokenizer.idOf("<|im_end|>").getAsInt());
        int[] parsed = tokenizer.encode("<|im_start|>user", false, true);
        assertEquals(151644, parsed[0]);
        assertTrue(tokenizer.isSpecial(151644));
        int[] literal = tokenizer.encode("<|im_start|>user", false, false);
        assertTrue(Arrays.stream(literal).noneMatch(id -> id >= 151643), Arrays.toString(literal));
        assertEquals("<|im_start|>user", tokenizer.decode(literal));
        // <think> is an added token but not a special one: always whole, and kept by decode.
        int think = tokenizer.idOf("<think>").getAsInt();
        assertFalse(tokenizer.isSpecial(think));
        assertArrayEquals(new int[] {think}, tokenizer.encode("<think>", false, false));
        assertEquals("<think>", tokenizer.tokenText(think));
    }

    @Test
    void configurationFromTokenizerConfig() {
        // Qwen3's tokenizer_config.json: bos_token null, eos_token <|im_end|>, add_bos_token false.
        assertEquals(TextTokenizer.NO_TOKEN, tokenizer.bosId());
        assertArrayEquals(new int[] {151645}, tokenizer.eosIds());
        assertFalse(tokenizer.addBosByDefault());
        assertEquals(151669, tokenizer.vocabSize());
        assertArrayEquals(tokenizer.encode("Hi", false), tokenizer.encode("Hi", true), "no BOS to add");
    }

    @Test
    void streamingDecodesSplitCharactersWhole() {
        String text = "Chinese 中文, emoji 🦙👍🏽 and accents é";
        int[] ids = tokenizer.encode(text, false);
        StreamingDecoder decoder = new StreamingDecoder(tokenizer);
        StringBuilder streamed = new StringBuilder();
        for (int id : ids) {
            String piece = decoder.append(id);
            assertTrue(piece.indexOf('\uFFFD') < 0, "no replacement character mid-stream: " + piece);
            streamed.append(piece);
        }
        assertEquals("", decoder.flush());
        assertEquals(text, streamed.toString());
    }

    @Test
    void encodesAMegabyteQuickly() throws IOException {
        String raw = SharedTestFiles.readString(WIKI);
        ByteLevelBpeTokenizer fresh =
                ByteLevelBpeTokenizer.fromTokenizerJson(SharedTestFiles.require(QWEN3_DIR).resolve("tokenizer.json"));
        long start = System.nanoTime();
        int[] ids = fresh.encode(raw, false);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("byte-level BPE: %d chars -> %d ids in %.2f s%n", raw.length(), ids.length, seconds);
        // Takes about a second on an idle machine; the bound is loose for shared CI cores, while
        // quadratic merging of a megabyte would take hours.
        assertTrue(seconds < MAX_ENCODE_SECONDS, "encoding " + raw.length() + " chars took " + seconds + " s");
        assertArrayEquals(referenceIds(raw), ids, "whole-file encoding");
    }
}
