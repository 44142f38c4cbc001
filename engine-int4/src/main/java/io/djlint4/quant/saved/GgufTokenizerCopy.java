package io.djlint4.quant.saved;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.ToNumberPolicy;
import io.djlint4.checkpoint.CheckpointFormatException;
import io.djlint4.checkpoint.StrictJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tokenizer of a GGUF base model, kept in a saved model's directory: the base's {@code
 * tokenizer.*} metadata (vocabulary, scores, merges, special ids, chat template) as JSON, so that
 * the saved model never reads its base file again. Read back, arrays are Lists and numbers are
 * {@link Number}s whose {@code floatValue()} gives back the stored float exactly.
 */
final class GgufTokenizerCopy {

    /** The file in a saved model's directory. */
    static final String FILE_NAME = "gguf-tokenizer.json";

    /** The GGUF key that marks GGUF metadata. */
    static final String ARCHITECTURE = "general.architecture";

    private static final String PREFIX = "tokenizer.";

    private static final String MODEL = "tokenizer.ggml.model";

    private static final Gson GSON = new GsonBuilder()
            .serializeSpecialFloatingPointValues()
            .disableHtmlEscaping()
            .setObjectToNumberStrategy(ToNumberPolicy.LAZILY_PARSED_NUMBER)
            .create();

    private GgufTokenizerCopy() {}

    /**
     * Tells whether GGUF metadata holds a tokenizer.
     *
     * @param metadata the base model's metadata
     * @return whether it has {@code tokenizer.ggml.model}
     */
    static boolean hasTokenizer(Map<String, Object> metadata) {
        return metadata.containsKey(MODEL);
    }

    /**
     * Writes the {@code tokenizer.*} entries of GGUF metadata.
     *
     * @param metadata the base model's metadata
     * @param file the file to write
     * @throws IOException if it cannot be written
     */
    static void write(Map<String, Object> metadata, Path file) throws IOException {
        Map<String, Object> tokenizer = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : metadata.entrySet()) {
            if (e.getKey().startsWith(PREFIX)) {
                tokenizer.put(e.getKey(), e.getValue());
            }
        }
        Files.writeString(file, GSON.toJson(tokenizer), StandardCharsets.UTF_8);
    }

    /**
     * Reads the entries back.
     *
     * @param file the file
     * @return the metadata, keys in file order
     * @throws IOException if it cannot be read, is not a JSON object, has duplicate keys or
     *     keys other than {@code tokenizer.*}
     */
    static Map<String, Object> read(Path file) throws IOException {
        JsonObject o = StrictJson.parseObject(Files.readString(file, StandardCharsets.UTF_8), file);
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            if (!e.getKey().startsWith(PREFIX)) {
                throw new CheckpointFormatException(file, e.getKey(), "is not tokenizer metadata (tokenizer.*)");
            }
            metadata.put(e.getKey(), GSON.fromJson(e.getValue(), Object.class));
        }
        if (!hasTokenizer(metadata)) {
            throw new CheckpointFormatException(file, MODEL, "required metadata key is missing");
        }
        return metadata;
    }
}
