package io.djlint4.tokenizer;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a small but complete Llama-3-style byte-level BPE {@code tokenizer.json}: the 256 byte
 * symbols (ids 0..255), a handful of merges, a whole-word-only token, two special tokens, the Llama
 * 3 split regex, and a TemplateProcessing post-processor that prepends {@code <|begin_of_text|>}.
 */
final class TinyTokenizerJson {

    static final int BEGIN_OF_TEXT = 300;
    static final int END_OF_TURN = 301;
    static final int THINK = 302;
    /** "Ġxyz" is in the vocabulary but no merge builds it: only ignore_merges reaches it. */
    static final int WHOLE_WORD_XYZ = 290;

    private TinyTokenizerJson() {}

    /** The merges as {"left right", result token}, in rank order; results get ids from 256. */
    private static final String[][] MERGES = {
        {"Ġ t", "Ġt"}, {"h e", "he"}, {"Ġt he", "Ġthe"}, {"1 2", "12"}, {"12 3", "123"}, {"4 5", "45"},
    };

    static JsonObject json() {
        JsonObject vocab = new JsonObject();
        for (int b = 0; b < 256; b++) {
            vocab.addProperty(String.valueOf(ByteLevelAlphabet.charOf(b)), b);
        }
        JsonArray merges = new JsonArray();
        for (int i = 0; i < MERGES.length; i++) {
            vocab.addProperty(MERGES[i][1], 256 + i);
            merges.add(MERGES[i][0]);
        }
        vocab.addProperty("Ġxyz", WHOLE_WORD_XYZ);

        JsonObject model = new JsonObject();
        model.addProperty("type", "BPE");
        model.add("vocab", vocab);
        model.add("merges", merges);
        model.addProperty("ignore_merges", true);

        JsonArray added = new JsonArray();
        added.add(addedToken(BEGIN_OF_TEXT, "<|begin_of_text|>", true));
        added.add(addedToken(END_OF_TURN, "<|eot_id|>", true));
        added.add(addedToken(THINK, "<think>", false));

        JsonObject split = new JsonObject();
        split.addProperty("type", "Split");
        JsonObject pattern = new JsonObject();
        pattern.addProperty("Regex", PreTokenizer.LLAMA3);
        split.add("pattern", pattern);
        split.addProperty("behavior", "Isolated");
        split.addProperty("invert", false);
        JsonObject byteLevel = new JsonObject();
        byteLevel.addProperty("type", "ByteLevel");
        byteLevel.addProperty("add_prefix_space", false);
        byteLevel.addProperty("use_regex", false);
        JsonArray stages = new JsonArray();
        stages.add(split);
        stages.add(byteLevel);
        JsonObject pre = new JsonObject();
        pre.addProperty("type", "Sequence");
        pre.add("pretokenizers", stages);

        JsonObject special = new JsonObject();
        JsonObject bosRef = new JsonObject();
        bosRef.addProperty("id", "<|begin_of_text|>");
        bosRef.addProperty("type_id", 0);
        special.add("SpecialToken", bosRef);
        JsonObject sequence = new JsonObject();
        JsonObject sequenceRef = new JsonObject();
        sequenceRef.addProperty("id", "A");
        sequenceRef.addProperty("type_id", 0);
        sequence.add("Sequence", sequenceRef);
        JsonArray single = new JsonArray();
        single.add(special);
        single.add(sequence);
        JsonObject post = new JsonObject();
        post.addProperty("type", "TemplateProcessing");
        post.add("single", single);

        JsonObject decoder = new JsonObject();
        decoder.addProperty("type", "ByteLevel");

        JsonObject root = new JsonObject();
        root.addProperty("version", "1.0");
        root.add("added_tokens", added);
        root.add("normalizer", null);
        root.add("pre_tokenizer", pre);
        root.add("post_processor", post);
        root.add("decoder", decoder);
        root.add("model", model);
        return root;
    }

    static Path write(Path dir, JsonObject json) throws IOException {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve("tokenizer.json"), json.toString(), StandardCharsets.UTF_8);
    }

    private static JsonObject addedToken(int id, String content, boolean special) {
        JsonObject token = new JsonObject();
        token.addProperty("id", id);
        token.addProperty("content", content);
        token.addProperty("special", special);
        return token;
    }
}
