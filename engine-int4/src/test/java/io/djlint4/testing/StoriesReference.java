package io.djlint4.testing;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;

/** The golden outputs of stories260K ({@code reference_outputs.json}), read once per test. */
public final class StoriesReference {

    /** Path of the checkpoint inside the shared directory. */
    public static final String CHECKPOINT = "models/stories260K/stories260K.bin";

    /** Path of the tokenizer inside the shared directory. */
    public static final String TOKENIZER = "models/stories260K/tok512.bin";

    private final JsonObject root;

    private StoriesReference(JsonObject root) {
        this.root = root;
    }

    /**
     * Loads the reference, skipping the test when it is absent.
     *
     * @return the reference
     * @throws IOException if the file cannot be read
     */
    public static StoriesReference load() throws IOException {
        Path file = SharedFiles.require("models/stories260K/reference_outputs.json");
        try (Reader r = Files.newBufferedReader(file)) {
            return new StoriesReference(JsonParser.parseReader(r).getAsJsonObject());
        }
    }

    /**
     * Returns a section of the reference.
     *
     * @param name the section, e.g. {@code sample_text}
     * @return the JSON object
     */
    public JsonObject section(String name) {
        return root.getAsJsonObject(name);
    }

    /**
     * Returns the token ids of a section.
     *
     * @param name the section
     * @return the ids
     */
    public long[] ids(String name) {
        JsonArray a = section(name).getAsJsonArray("ids");
        long[] ids = new long[a.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = a.get(i).getAsLong();
        }
        return ids;
    }

    /**
     * Returns the mean negative log-likelihood of a section.
     *
     * @param name the section
     * @return nats per predicted token
     */
    public double meanNll(String name) {
        return section(name).get("mean_nll_nats").getAsDouble();
    }
}
