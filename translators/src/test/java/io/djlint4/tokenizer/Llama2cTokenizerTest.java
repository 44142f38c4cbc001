package io.djlint4.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Llama2cTokenizerTest {

    private static final double MAX_ENCODE_SECONDS = 20;

    private static final String TOK512 = "models/stories260K/tok512.bin";
    private static final String REFERENCE = "models/stories260K/reference_outputs.json";
    private static final String LLAMA2_BIN = "models/llama2-tokenizer/tokenizer.bin";

    @TempDir
    Path tempDir;

    private static int[] ids(JsonArray array) {
        int[] ids = new int[array.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = array.get(i).getAsInt();
        }
        return ids;
    }

    @Test
    void tok512HasTheDocumentedLayout() throws IOException {
        Llama2cTokenizer tokenizer = Llama2cTokenizer.load(SharedTestFiles.require(TOK512));
        assertEquals(512, tokenizer.vocabSize());
        assertEquals(1, tokenizer.bosId());
        assertArrayEquals(new int[] {2}, tokenizer.eosIds());
        assertArrayEquals("\n<s>\n".getBytes(StandardCharsets.UTF_8), tokenizer.storedBytes(1));
        assertEquals(13, tokenizer.idOf("<0x0A>").getAsInt());
        assertArrayEquals(new byte[] {'\n'}, tokenizer.tokenBytes(13));
        assertEquals(0, tokenizer.tokenBytes(1).length, "BOS is skipped in decoded text");
    }

    @Test
    void sampleTextEncodesToReferenceIds() throws IOException {
        Llama2cTokenizer tokenizer = Llama2cTokenizer.load(SharedTestFiles.require(TOK512));
        JsonObject sample = SharedTestFiles.readJson(REFERENCE).getAsJsonObject("sample_text");
        String text = sample.get("text").getAsString();
        int[] expected = ids(sample.getAsJsonArray("ids"));

        assertArrayEquals(expected, tokenizer.encode(text, true));
        assertArrayEquals(Arrays.copyOfRange(expected, 1, expected.length), tokenizer.encode(text, false));
        assertEquals(text, tokenizer.decode(expected));
    }

    @Test
    void greedyReferenceRoundTrips() throws IOException {
        Llama2cTokenizer tokenizer = Llama2cTokenizer.load(SharedTestFiles.require(TOK512));
        JsonObject greedy = SharedTestFiles.readJson(REFERENCE).getAsJsonObject("greedy_from_bos_100");
        String text = greedy.get("text").getAsString();
        int[] ids = ids(greedy.getAsJsonArray("ids"));

        assertEquals(text, tokenizer.decode(ids));
        // The model's greedy choices happen to be the canonical segmentation, so re-encoding the
        // decoded text gives the same ids.
        assertArrayEquals(ids, tokenizer.encode(text, true));
    }

    @Test
    void wikitextPrefixEncodesToReferenceIds() throws IOException {
        Llama2cTokenizer tokenizer = Llama2cTokenizer.load(SharedTestFiles.require(TOK512));
        JsonObject wiki = SharedTestFiles.readJson(REFERENCE).getAsJsonObject("wikitext2_test_first256");
        int[] expected = ids(wiki.getAsJsonArray("ids"));
        String raw = SharedTestFiles.readString("data/wikitext-2/wiki.test.raw");
        // "First 3000 characters" in Python counts code points.
        String prefix = raw.substring(0, raw.offsetByCodePoints(0, 3000));

        int[] encoded = tokenizer.encode(prefix, true);
        assertEquals(257, expected.length);
        assertTrue(encoded.length >= 257, "3000 characters give at least 257 ids, got " + encoded.length);
        assertArrayEquals(expected, Arrays.copyOf(encoded, 257));
    }

    @Test
    void llama2VocabularyLoadsAndRoundTrips() throws IOException {
        Llama2cTokenizer tokenizer = Llama2cTokenizer.load(SharedTestFiles.require(LLAMA2_BIN));
        assertEquals(32000, tokenizer.vocabSize());
        // The well-known Llama 2 ids: "▁Hello" = 15043, "▁world" = 3186.
        assertArrayEquals(new int[] {1, 15043, 3186}, tokenizer.encode("Hello world", true));
        String[] texts = {
            "Hello world",
            "The quick brown fox jumps over the lazy dog.",
            "  leading spaces and trailing  ",
            "Numbers 12345 and 3.14159, symbols #$%&*!",
            "def f(x):\n    return x ** 2\n",
            "Ünïcödé: naïve café, Straße, 東京タワー, 🦙 emoji",
            "line one\n\nline three\ttabbed",
        };
        for (String text : texts) {
            int[] ids = tokenizer.encode(text, true);
            assertEquals(1, ids[0]);
            assertEquals(text, tokenizer.decode(ids), "round trip of " + text);
        }
    }

    @Test
    void encodesAMegabyteQuicklyAndRoundTrips() throws IOException {
        Llama2cTokenizer tokenizer = Llama2cTokenizer.load(SharedTestFiles.require(LLAMA2_BIN));
        String raw = SharedTestFiles.readString("data/wikitext-2/wiki.test.raw");
        long start = System.nanoTime();
        int[] ids = tokenizer.encode(raw, true);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("llama2.c BPE: %d chars -> %d ids in %.2f s%n", raw.length(), ids.length, seconds);
        // Takes about a second on an idle machine; the bound is loose for shared CI cores, while
        // quadratic merging of a megabyte would take hours.
        assertTrue(seconds < MAX_ENCODE_SECONDS, "encoding " + raw.length() + " chars took " + seconds + " s");
        assertEquals(raw, tokenizer.decode(ids));
    }

    @Test
    void emptyTextHasNoDummyPrefix() throws IOException {
        Llama2cTokenizer tokenizer = Llama2cTokenizer.load(SharedTestFiles.require(TOK512));
        assertArrayEquals(new int[] {1}, tokenizer.encode("", true));
        assertArrayEquals(new int[0], tokenizer.encode("", false));
    }

    @Test
    void charactersOutsideTheVocabularyFallBackToBytes() throws IOException {
        Llama2cTokenizer tokenizer = Llama2cTokenizer.load(SharedTestFiles.require(TOK512));
        // tok512 has no CJK: 中 (E4 B8 AD) becomes byte tokens id = byte + 3 after the dummy prefix.
        int[] ids = tokenizer.encode("中", false);
        assertArrayEquals(new int[] {tokenizer.idOf(" ").getAsInt(), 0xE4 + 3, 0xB8 + 3, 0xAD + 3}, ids);
        assertEquals(" 中", tokenizer.decode(ids));
    }

    @Test
    void streamingHoldsBackSplitCharacters() throws IOException {
        Llama2cTokenizer tokenizer = Llama2cTokenizer.load(SharedTestFiles.require(TOK512));
        int[] ids = tokenizer.encode("a 中b", true);
        StreamingDecoder decoder = new StreamingDecoder(tokenizer);
        StringBuilder streamed = new StringBuilder();
        for (int id : ids) {
            String piece = decoder.append(id);
            assertTrue(piece.indexOf('\uFFFD') < 0, "no replacement character mid-stream: " + piece);
            streamed.append(piece);
        }
        streamed.append(decoder.flush());
        assertEquals("a 中b", streamed.toString());
        assertEquals(tokenizer.decode(ids), streamed.toString());
    }

    @Test
    void missingFileIsReported() {
        Path missing = tempDir.resolve("nope.bin");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Llama2cTokenizer.load(missing));
        assertTrue(e.getMessage().contains("nope.bin"));
    }

    @Test
    void emptyFileIsRejected() throws IOException {
        Path file = Files.write(tempDir.resolve("empty.bin"), new byte[2]);
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class, () -> Llama2cTokenizer.load(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("max_token_length"), e.getMessage());
    }

    @Test
    void absurdMaxTokenLengthIsRejected() throws IOException {
        Path file = Files.write(tempDir.resolve("max.bin"), littleEndianInts(-7));
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class, () -> Llama2cTokenizer.load(file));
        assertTrue(e.getMessage().contains("max_token_length -7"), e.getMessage());
    }

    @Test
    void truncatedFileIsRejected() throws IOException {
        byte[] full = Files.readAllBytes(SharedTestFiles.require(TOK512));
        Path file = Files.write(tempDir.resolve("truncated.bin"), Arrays.copyOf(full, full.length - 3));
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class, () -> Llama2cTokenizer.load(file));
        assertTrue(e.getMessage().contains("token 511"), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void lyingLengthFieldIsRejectedWithoutHugeAllocation() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(littleEndianInts(7));
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0f).putInt(Integer.MAX_VALUE).array());
        Path file = Files.write(tempDir.resolve("lying.bin"), out.toByteArray());
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class, () -> Llama2cTokenizer.load(file));
        assertTrue(e.getMessage().contains("token 0: length 2147483647"), e.getMessage());
    }

    @Test
    void garbledByteTokensAreRejected() throws IOException {
        byte[] data = Files.readAllBytes(SharedTestFiles.require(TOK512));
        // Token 3 starts at 4 (header) + 3 records; overwrite the text of <0x00> with <0xZZ>.
        int offset = 4;
        ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 3; i++) {
            offset += 8 + buffer.getInt(offset + 4);
        }
        data[offset + 8 + 3] = 'Z';
        Path file = Files.write(tempDir.resolve("garbled.bin"), data);
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class, () -> Llama2cTokenizer.load(file));
        assertTrue(e.getMessage().contains("token 3 should be the byte token <0x00>"), e.getMessage());
    }

    private static byte[] littleEndianInts(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            buffer.putInt(v);
        }
        return buffer.array();
    }
}
