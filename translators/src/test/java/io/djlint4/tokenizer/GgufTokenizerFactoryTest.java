package io.djlint4.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GgufTokenizerFactoryTest {

    private static final String QWEN3_JSON = "models/qwen3-tokenizer/tokenizer.json";
    private static final String LLAMA2_BIN = "models/llama2-tokenizer/tokenizer.bin";
    private static final String SOURCE = "test.gguf";

    @Test
    void gpt2MetadataGivesTheSameTokensAsTokenizerJson() throws IOException {
        Path json = SharedTestFiles.require(QWEN3_JSON);
        TextTokenizer fromJson = ByteLevelBpeTokenizer.fromTokenizerJson(json);
        TextTokenizer fromGguf = GgufTokenizerFactory.fromMetadata(GgufMetadataFixtures.gpt2Style(json), SOURCE);
        assertInstanceOf(ByteLevelBpeTokenizer.class, fromGguf);

        List<String> texts = new ArrayList<>(ByteLevelBpeTokenizerTest.TEXTS);
        String raw = SharedTestFiles.readString("data/wikitext-2/wiki.test.raw");
        texts.addAll(Arrays.asList(raw.substring(0, 20_000).split("(?<=\n)")));
        for (String text : texts) {
            // GGUF has no normalizer (llama.cpp does not apply NFC), so compare on NFC text only.
            if (Normalizer.isNormalized(text, Normalizer.Form.NFC)) {
                assertArrayEquals(fromJson.encode(text, false), fromGguf.encode(text, false), "encoding of '" + text + "'");
            }
        }
        assertEquals(fromJson.decode(fromJson.encode("中文 🦙 text", false)), fromGguf.decode(fromGguf.encode("中文 🦙 text", false)));
        assertEquals(151643, fromGguf.bosId());
        assertFalse(fromGguf.addBosByDefault());
        // EOS 151645 from the key, plus <|endoftext|>, which llama.cpp also ends generation on.
        assertArrayEquals(new int[] {151645, 151643}, fromGguf.eosIds());
        assertTrue(fromGguf.isSpecial(151644));
        assertFalse(fromGguf.isSpecial(fromGguf.idOf("<think>").getAsInt()));
    }

    @Test
    void llamaMetadataGivesSentencePieceTokenizer() throws IOException {
        Path bin = SharedTestFiles.require(LLAMA2_BIN);
        TextTokenizer tokenizer = GgufTokenizerFactory.fromMetadata(GgufMetadataFixtures.llamaStyle(bin), SOURCE);
        assertInstanceOf(SentencePieceBpeTokenizer.class, tokenizer);
        assertEquals(32000, tokenizer.vocabSize());
        assertArrayEquals(new int[] {1, 15043, 3186}, tokenizer.encode("Hello world", true));
        assertEquals("Hello world", tokenizer.decode(new int[] {1, 15043, 3186, 2}));
    }

    @Test
    void listsAndBoxedNumbersAreAccepted() throws IOException {
        Path bin = SharedTestFiles.require(LLAMA2_BIN);
        Map<String, Object> arrays = GgufMetadataFixtures.llamaStyle(bin);
        Map<String, Object> lists = new HashMap<>(arrays);
        lists.put(GgufTokenizerFactory.TOKENS, Arrays.asList((String[]) arrays.get(GgufTokenizerFactory.TOKENS)));
        float[] scores = (float[]) arrays.get(GgufTokenizerFactory.SCORES);
        List<Double> scoreList = new ArrayList<>();
        for (float s : scores) {
            scoreList.add((double) s);
        }
        lists.put(GgufTokenizerFactory.SCORES, scoreList);
        List<Long> typeList = new ArrayList<>();
        for (int t : (int[]) arrays.get(GgufTokenizerFactory.TOKEN_TYPE)) {
            typeList.add((long) t);
        }
        lists.put(GgufTokenizerFactory.TOKEN_TYPE, typeList);
        lists.put(GgufTokenizerFactory.BOS_ID, (short) 1);

        String text = "Lists and arrays give the same ids: ☃ 42";
        assertArrayEquals(
                GgufTokenizerFactory.fromMetadata(arrays, SOURCE).encode(text, true),
                GgufTokenizerFactory.fromMetadata(lists, SOURCE).encode(text, true));
    }

    @Test
    void missingTokenTypesAreInferredForByteAndControlTokens() throws IOException {
        Map<String, Object> metadata = GgufMetadataFixtures.llamaStyle(SharedTestFiles.require(LLAMA2_BIN));
        metadata.remove(GgufTokenizerFactory.TOKEN_TYPE);
        TextTokenizer tokenizer = GgufTokenizerFactory.fromMetadata(metadata, SOURCE);
        int[] ids = tokenizer.encode("snow 🦙", true);
        assertEquals("snow 🦙", tokenizer.decode(ids));
        assertTrue(tokenizer.isSpecial(1));
    }

    @Test
    void missingModelKeyIsNamed() {
        TokenizerFormatException e = assertThrows(
                TokenizerFormatException.class, () -> GgufTokenizerFactory.fromMetadata(Map.of(), "model-q4.gguf"));
        assertEquals("model-q4.gguf: missing metadata key 'tokenizer.ggml.model'", e.getMessage());
        assertEquals("model-q4.gguf", e.getSource());
    }

    @Test
    void missingTokensKeyIsNamed() {
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class,
                () -> GgufTokenizerFactory.fromMetadata(Map.of(GgufTokenizerFactory.MODEL, "gpt2"), "model-q4.gguf"));
        assertEquals("model-q4.gguf: missing metadata key 'tokenizer.ggml.tokens'", e.getMessage());
    }

    @Test
    void missingMergesKeyIsNamed() throws IOException {
        Map<String, Object> metadata = GgufMetadataFixtures.gpt2Style(SharedTestFiles.require(QWEN3_JSON));
        metadata.remove(GgufTokenizerFactory.MERGES);
        TokenizerFormatException e = assertThrows(
                TokenizerFormatException.class, () -> GgufTokenizerFactory.fromMetadata(metadata, SOURCE));
        assertEquals(SOURCE + ": missing metadata key 'tokenizer.ggml.merges'", e.getMessage());
    }

    @Test
    void unsupportedModelIsNamed() {
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class,
                () -> GgufTokenizerFactory.fromMetadata(Map.of(GgufTokenizerFactory.MODEL, "bert"), SOURCE));
        assertTrue(e.getMessage().contains("unsupported tokenizer.ggml.model 'bert'"), e.getMessage());
    }

    @Test
    void unknownPreTokenizerIsNamed() throws IOException {
        Map<String, Object> metadata = GgufMetadataFixtures.gpt2Style(SharedTestFiles.require(QWEN3_JSON));
        metadata.put(GgufTokenizerFactory.PRE, "klingon");
        TokenizerFormatException e = assertThrows(
                TokenizerFormatException.class, () -> GgufTokenizerFactory.fromMetadata(metadata, SOURCE));
        assertTrue(e.getMessage().contains("unsupported tokenizer.ggml.pre 'klingon'"), e.getMessage());
    }

    @Test
    void wrongArrayLengthIsReported() throws IOException {
        Map<String, Object> metadata = GgufMetadataFixtures.llamaStyle(SharedTestFiles.require(LLAMA2_BIN));
        metadata.put(GgufTokenizerFactory.SCORES, new float[10]);
        TokenizerFormatException e = assertThrows(
                TokenizerFormatException.class, () -> GgufTokenizerFactory.fromMetadata(metadata, SOURCE));
        assertEquals(SOURCE + ": 'tokenizer.ggml.scores' has 10 entries but tokenizer.ggml.tokens has 32000",
                e.getMessage());
    }

    @Test
    void wrongTypesAreReported() throws IOException {
        Map<String, Object> metadata = GgufMetadataFixtures.llamaStyle(SharedTestFiles.require(LLAMA2_BIN));
        metadata.put(GgufTokenizerFactory.TOKENS, new int[3]);
        TokenizerFormatException e = assertThrows(
                TokenizerFormatException.class, () -> GgufTokenizerFactory.fromMetadata(metadata, SOURCE));
        assertTrue(e.getMessage().contains("'tokenizer.ggml.tokens' is int[], expected an array or List of strings"),
                e.getMessage());

        metadata.put(GgufTokenizerFactory.TOKENS, List.of("a", 7));
        e = assertThrows(TokenizerFormatException.class, () -> GgufTokenizerFactory.fromMetadata(metadata, SOURCE));
        assertTrue(e.getMessage().contains("'tokenizer.ggml.tokens[1]' is Integer, expected a string"), e.getMessage());
    }

    @Test
    void tokenIdOutsideVocabularyIsReported() throws IOException {
        Map<String, Object> metadata = GgufMetadataFixtures.llamaStyle(SharedTestFiles.require(LLAMA2_BIN));
        metadata.put(GgufTokenizerFactory.EOS_ID, 99_999);
        TokenizerFormatException e = assertThrows(
                TokenizerFormatException.class, () -> GgufTokenizerFactory.fromMetadata(metadata, SOURCE));
        assertTrue(e.getMessage().contains("'tokenizer.ggml.eos_token_id' = 99999 is outside the vocabulary of 32000"),
                e.getMessage());
    }

    @Test
    void malformedMergesAreReported() throws IOException {
        Map<String, Object> metadata = GgufMetadataFixtures.gpt2Style(SharedTestFiles.require(QWEN3_JSON));
        List<String> merges = new ArrayList<>(castStrings(metadata.get(GgufTokenizerFactory.MERGES)));
        merges.set(5, "nospace");
        metadata.put(GgufTokenizerFactory.MERGES, merges);
        TokenizerFormatException e = assertThrows(
                TokenizerFormatException.class, () -> GgufTokenizerFactory.fromMetadata(metadata, SOURCE));
        assertTrue(e.getMessage().contains("'tokenizer.ggml.merges[5]' = 'nospace'"), e.getMessage());

        merges.set(5, "zzqq\u0100 xyzzy");
        e = assertThrows(TokenizerFormatException.class, () -> GgufTokenizerFactory.fromMetadata(metadata, SOURCE));
        assertTrue(e.getMessage().contains("merge 5 ('zzqq\u0100' 'xyzzy') uses 'zzqq\u0100', which is not in the vocabulary"),
                e.getMessage());
    }

    @SuppressWarnings("unchecked")
    private static List<String> castStrings(Object value) {
        return (List<String>) value;
    }
}
