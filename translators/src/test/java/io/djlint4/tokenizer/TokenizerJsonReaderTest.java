package io.djlint4.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads small hand-made tokenizer.json files: the Llama 3 features and the error reports. */
class TokenizerJsonReaderTest {

    @TempDir
    Path tempDir;

    private ByteLevelBpeTokenizer load(JsonObject json) throws IOException {
        return ByteLevelBpeTokenizer.fromTokenizerJson(TinyTokenizerJson.write(tempDir, json));
    }

    private static int byteId(char c) {
        return c;
    }

    @Test
    void llama3FeaturesWork() throws IOException {
        ByteLevelBpeTokenizer tokenizer = load(TinyTokenizerJson.json());
        assertEquals(TinyTokenizerJson.BEGIN_OF_TEXT, tokenizer.bosId());
        assertTrue(tokenizer.addBosByDefault(), "TemplateProcessing puts BOS first");
        // Without a tokenizer_config.json the special end tokens are the fallback EOS.
        assertArrayEquals(new int[] {TinyTokenizerJson.END_OF_TURN}, tokenizer.eosIds());
        // "12345" splits into "123" "45" (Llama 3 groups three digits), " the" merges fully, and
        // " xyz" is a whole-word token reached only through ignore_merges.
        assertArrayEquals(
                new int[] {TinyTokenizerJson.BEGIN_OF_TEXT, 260, 261, 258, TinyTokenizerJson.WHOLE_WORD_XYZ},
                tokenizer.encode("12345 the xyz", true));
        assertArrayEquals(new int[] {byteId('x'), byteId('y'), byteId('z')}, tokenizer.encode("xyz", false),
                "'xyz' without the space is no whole token, and no merge joins its letters");
        assertEquals("12345 the xyz", tokenizer.decode(tokenizer.encode("12345 the xyz", true)));
        assertArrayEquals(
                new int[] {TinyTokenizerJson.END_OF_TURN, TinyTokenizerJson.THINK},
                tokenizer.encode("<|eot_id|><think>", false));
    }

    @Test
    void configFilesBesideTheJsonSetBosAndEos() throws IOException {
        TinyTokenizerJson.write(tempDir, TinyTokenizerJson.json());
        Files.writeString(tempDir.resolve("tokenizer_config.json"),
                "{\"add_bos_token\": false, \"bos_token\": {\"content\": \"<|begin_of_text|>\"},"
                        + " \"eos_token\": \"<|eot_id|>\"}");
        Files.writeString(tempDir.resolve("generation_config.json"), "{\"eos_token_id\": [301, 97]}");
        ByteLevelBpeTokenizer tokenizer = ByteLevelBpeTokenizer.fromTokenizerJson(tempDir);
        assertEquals(TinyTokenizerJson.BEGIN_OF_TEXT, tokenizer.bosId());
        assertEquals(false, tokenizer.addBosByDefault());
        assertArrayEquals(new int[] {TinyTokenizerJson.END_OF_TURN, 97}, tokenizer.eosIds());
    }

    @Test
    void missingFileIsReported() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> ByteLevelBpeTokenizer.fromTokenizerJson(tempDir.resolve("absent.json")));
        assertTrue(e.getMessage().contains("absent.json"));
    }

    @Test
    void invalidJsonIsReported() throws IOException {
        Path file = Files.writeString(tempDir.resolve("tokenizer.json"), "{\"model\": {\"vocab\": ", StandardCharsets.UTF_8);
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class,
                () -> ByteLevelBpeTokenizer.fromTokenizerJson(file));
        assertTrue(e.getMessage().startsWith(file + ": is not valid JSON"), e.getMessage());
    }

    @Test
    void unsupportedPartsAreNamed() throws IOException {
        JsonObject wordPiece = TinyTokenizerJson.json();
        wordPiece.getAsJsonObject("model").addProperty("type", "WordPiece");
        assertMessage(wordPiece, "unsupported model.type 'WordPiece'");

        JsonObject metaspace = TinyTokenizerJson.json();
        JsonObject pre = new JsonObject();
        pre.addProperty("type", "Metaspace");
        metaspace.add("pre_tokenizer", pre);
        assertMessage(metaspace, "unsupported pre_tokenizer type 'Metaspace'");

        JsonObject decoder = TinyTokenizerJson.json();
        decoder.getAsJsonObject("decoder").addProperty("type", "WordPiece");
        assertMessage(decoder, "unsupported decoder type 'WordPiece'");

        JsonObject fallback = TinyTokenizerJson.json();
        fallback.getAsJsonObject("model").addProperty("byte_fallback", true);
        assertMessage(fallback, "unsupported model.byte_fallback = true");
    }

    @Test
    void inconsistentVocabulariesAreReported() throws IOException {
        JsonObject lying = TinyTokenizerJson.json();
        lying.getAsJsonObject("model").getAsJsonObject("vocab").addProperty("huge", 2_000_000_000);
        assertMessage(lying, "id 2000000000 of token 'huge' is out of range");

        JsonObject badMerge = TinyTokenizerJson.json();
        badMerge.getAsJsonObject("model").getAsJsonArray("merges").add("q zz");
        assertMessage(badMerge, "merge 6 ('q' 'zz') uses 'zz', which is not in the vocabulary");

        JsonObject missingByte = TinyTokenizerJson.json();
        missingByte.getAsJsonObject("model").getAsJsonObject("vocab").remove("A");
        assertMessage(missingByte, "no token for byte 0x41 ('A')");

        JsonObject noVocab = TinyTokenizerJson.json();
        noVocab.getAsJsonObject("model").remove("vocab");
        assertMessage(noVocab, "'vocab' is missing or not an object");

        JsonObject textId = TinyTokenizerJson.json();
        textId.getAsJsonObject("model").getAsJsonObject("vocab").addProperty("Ġq", "seven");
        assertMessage(textId, "'model.vocab['Ġq']' is missing or not a number");
    }

    private void assertMessage(JsonObject json, String expected) throws IOException {
        Path file = TinyTokenizerJson.write(tempDir, json);
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class,
                () -> ByteLevelBpeTokenizer.fromTokenizerJson(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
