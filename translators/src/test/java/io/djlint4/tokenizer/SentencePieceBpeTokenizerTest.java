package io.djlint4.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the llama.cpp-style SentencePiece BPE against llama2.c's encoder on the same Llama 2
 * vocabulary: both merge by score with byte fallback, so on plain text (no special-token syntax)
 * they must agree id for id.
 */
class SentencePieceBpeTokenizerTest {

    private static final double MAX_ENCODE_SECONDS = 20;

    private static final String LLAMA2_BIN = "models/llama2-tokenizer/tokenizer.bin";

    private static final List<String> SENTENCES = List.of(
            "Hello world",
            "The quick brown fox jumps over the lazy dog.",
            "Once upon a time, there was a little girl named Lily.",
            "  two leading spaces, three   inside and trailing ",
            "Numbers: 12345, 3.14159 and 1,000,000!",
            "def fibonacci(n):\n    return n if n < 2 else fibonacci(n - 1) + fibonacci(n - 2)\n",
            "Ünïcödé: naïve café, Straße, Ελληνικά, русский",
            "中文文本和日本語のテキスト",
            "Emoji 🦙🔥 and rare ☃ symbols",
            "tabs\tand\nnewlines\r\nmixed",
            "a",
            " ");

    private static Llama2cTokenizer reference;
    private static SentencePieceBpeTokenizer tokenizer;

    @BeforeAll
    static void load() throws IOException {
        Path bin = SharedTestFiles.require(LLAMA2_BIN);
        reference = Llama2cTokenizer.load(bin);
        TextTokenizer built = GgufTokenizerFactory.fromMetadata(GgufMetadataFixtures.llamaStyle(bin), bin.toString());
        tokenizer = assertInstanceOf(SentencePieceBpeTokenizer.class, built);
    }

    @Test
    void agreesWithLlama2cOnPlainText() {
        for (String text : SENTENCES) {
            assertArrayEquals(reference.encode(text, true), tokenizer.encode(text, true), "encoding of '" + text + "'");
            assertArrayEquals(reference.encode(text, false), tokenizer.encode(text, false), "encoding of '" + text + "'");
        }
    }

    @Test
    void agreesWithLlama2cOnAMegabyteOfWikitext() throws IOException {
        String raw = SharedTestFiles.readString("data/wikitext-2/wiki.test.raw");
        long start = System.nanoTime();
        int[] ids = tokenizer.encode(raw, true);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("SentencePiece BPE: %d chars -> %d ids in %.2f s%n", raw.length(), ids.length, seconds);
        // Takes about a second on an idle machine; the bound is loose for shared CI cores, while
        // quadratic merging of a megabyte would take hours.
        assertTrue(seconds < MAX_ENCODE_SECONDS, "encoding " + raw.length() + " chars took " + seconds + " s");
        assertArrayEquals(reference.encode(raw, true), ids);
        assertEquals(raw, tokenizer.decode(ids));
    }

    @Test
    void decodesBackToTheText() {
        for (String text : SENTENCES) {
            assertEquals(text, tokenizer.decode(tokenizer.encode(text, true)), "with BOS: '" + text + "'");
            assertEquals(text, tokenizer.decode(tokenizer.encode(text, false)), "without BOS: '" + text + "'");
        }
    }

    @Test
    void knownLlama2Ids() {
        assertArrayEquals(new int[] {1, 15043, 3186}, tokenizer.encode("Hello world", true));
        assertEquals(15043, tokenizer.idOf("\u2581Hello").getAsInt());
        assertEquals(1, tokenizer.bosId());
        assertArrayEquals(new int[] {2}, tokenizer.eosIds());
        assertTrue(tokenizer.addBosByDefault());
        assertEquals(32000, tokenizer.vocabSize());
    }

    @Test
    void specialTokensAreParsedOnlyWhenAsked() {
        int[] parsed = tokenizer.encode("<s>Hi</s>", false, true);
        assertEquals(1, parsed[0]);
        assertEquals(2, parsed[parsed.length - 1]);
        // After a special token the next run gets the space prefix again, as in llama.cpp.
        assertArrayEquals(tokenizer.encode("Hi", false), Arrays.copyOfRange(parsed, 1, parsed.length - 1));
        int[] literal = tokenizer.encode("<s>Hi</s>", false, false);
        assertTrue(Arrays.stream(literal).noneMatch(id -> id == 1 || id == 2), Arrays.toString(literal));
        assertEquals("<s>Hi</s>", tokenizer.decode(literal));
        assertEquals("Hi", tokenizer.decode(parsed), "control tokens are skipped when decoding");
    }

    @Test
    void byteFallbackCharactersStreamWhole() {
        String text = "snow ☃ and 🦙";
        int[] ids = tokenizer.encode(text, true);
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
}
