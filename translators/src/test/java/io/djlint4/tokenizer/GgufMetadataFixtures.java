package io.djlint4.tokenizer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds GGUF-style tokenizer metadata, as a GGUF converter would write it, from the shared
 * tokenizer files: llama style from the llama2.c Llama 2 export, gpt2 style from the Qwen3
 * tokenizer.json.
 */
final class GgufMetadataFixtures {

    /** Parsing the 11 MB Qwen3 file once per test run is enough; callers get a fresh copy. */
    private static final Map<Path, Map<String, Object>> GPT2_CACHE = new ConcurrentHashMap<>();

    private GgufMetadataFixtures() {}

    /**
     * Llama-style metadata from a llama2.c tokenizer.bin: spaces back to ▁ as SentencePiece stores
     * them, BOS/EOS texts back to {@code <s>}/{@code </s>}, types as llama.cpp's converter assigns.
     * Arrays are plain Java arrays.
     */
    static Map<String, Object> llamaStyle(Path tokenizerBin) throws IOException {
        Llama2cTokenizer source = Llama2cTokenizer.load(tokenizerBin);
        int n = source.vocabSize();
        String[] tokens = new String[n];
        float[] scores = new float[n];
        int[] types = new int[n];
        for (int id = 0; id < n; id++) {
            String text = new String(source.storedBytes(id), StandardCharsets.UTF_8);
            scores[id] = source.score(id);
            if (id == 0) {
                tokens[id] = "<unk>";
                types[id] = 2;
            } else if (id == 1 || id == 2) {
                tokens[id] = id == 1 ? "<s>" : "</s>";
                types[id] = 3;
            } else if (id <= 258) {
                tokens[id] = text;
                types[id] = 6;
            } else {
                tokens[id] = text.replace(" ", "\u2581");
                types[id] = 1;
            }
        }
        Map<String, Object> metadata = new HashMap<>();
        metadata.put(GgufTokenizerFactory.MODEL, "llama");
        metadata.put(GgufTokenizerFactory.TOKENS, tokens);
        metadata.put(GgufTokenizerFactory.SCORES, scores);
        metadata.put(GgufTokenizerFactory.TOKEN_TYPE, types);
        metadata.put(GgufTokenizerFactory.BOS_ID, 1);
        metadata.put(GgufTokenizerFactory.EOS_ID, 2L);
        metadata.put(GgufTokenizerFactory.UNK_ID, 0);
        metadata.put(GgufTokenizerFactory.ADD_BOS, true);
        return metadata;
    }

    /**
     * Gpt2-style metadata from a Hugging Face tokenizer.json: tokens by id, added special tokens as
     * CONTROL (3) and other added tokens as USER_DEFINED (4), merges as "a b" strings, pre
     * "qwen2". Arrays are Lists, as some GGUF readers return them. The returned map is a fresh,
     * modifiable copy; the lists inside are shared and must not be modified.
     */
    static Map<String, Object> gpt2Style(Path tokenizerJson) throws IOException {
        Map<String, Object> cached = GPT2_CACHE.get(tokenizerJson);
        if (cached == null) {
            cached = readGpt2Style(tokenizerJson);
            GPT2_CACHE.put(tokenizerJson, cached);
        }
        return new HashMap<>(cached);
    }

    private static Map<String, Object> readGpt2Style(Path tokenizerJson) throws IOException {
        JsonObject root;
        try (Reader reader = Files.newBufferedReader(tokenizerJson, StandardCharsets.UTF_8)) {
            root = JsonParser.parseReader(reader).getAsJsonObject();
        }
        JsonObject model = root.getAsJsonObject("model");
        JsonArray added = root.getAsJsonArray("added_tokens");
        int n = model.getAsJsonObject("vocab").size();
        for (JsonElement token : added) {
            n = Math.max(n, token.getAsJsonObject().get("id").getAsInt() + 1);
        }
        String[] tokens = new String[n];
        Integer[] types = new Integer[n];
        Arrays.fill(types, 1);
        for (Map.Entry<String, JsonElement> entry : model.getAsJsonObject("vocab").entrySet()) {
            tokens[entry.getValue().getAsInt()] = entry.getKey();
        }
        for (JsonElement element : added) {
            JsonObject token = element.getAsJsonObject();
            int id = token.get("id").getAsInt();
            tokens[id] = token.get("content").getAsString();
            types[id] = token.get("special").getAsBoolean() ? 3 : 4;
        }
        List<String> merges = new ArrayList<>();
        for (JsonElement merge : model.getAsJsonArray("merges")) {
            merges.add(merge.isJsonArray()
                    ? merge.getAsJsonArray().get(0).getAsString() + " " + merge.getAsJsonArray().get(1).getAsString()
                    : merge.getAsString());
        }
        Map<String, Object> metadata = new HashMap<>();
        metadata.put(GgufTokenizerFactory.MODEL, "gpt2");
        metadata.put(GgufTokenizerFactory.PRE, "qwen2");
        metadata.put(GgufTokenizerFactory.TOKENS, Arrays.asList(tokens));
        metadata.put(GgufTokenizerFactory.TOKEN_TYPE, Arrays.asList(types));
        metadata.put(GgufTokenizerFactory.MERGES, merges);
        metadata.put(GgufTokenizerFactory.BOS_ID, 151643);
        metadata.put(GgufTokenizerFactory.EOS_ID, 151645);
        metadata.put(GgufTokenizerFactory.ADD_BOS, false);
        return metadata;
    }
}
