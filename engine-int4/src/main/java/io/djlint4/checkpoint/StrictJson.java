package io.djlint4.checkpoint;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Parses JSON into a Gson tree, refusing what Gson's own parser lets through silently: a key that
 * appears twice in one object (Gson keeps the last, so a file could say two things), and text after
 * the value. Numbers keep their text, so a float written by Java reads back exactly.
 */
public final class StrictJson {

    /** Deeper nesting is refused rather than risk the stack. */
    private static final int MAX_DEPTH = 64;

    private StrictJson() {}

    /**
     * Parses a JSON object.
     *
     * @param json the text
     * @param file the file it came from, for messages
     * @return the object
     * @throws CheckpointFormatException naming the file (and the key for a duplicate) if the text
     *     is not one JSON object with unique keys
     */
    public static JsonObject parseObject(String json, Path file) throws CheckpointFormatException {
        try (JsonReader in = new JsonReader(new StringReader(json))) {
            // Lenient only for the NaN and Infinity literals that Gson writes for special floats.
            in.setLenient(true);
            if (in.peek() != JsonToken.BEGIN_OBJECT) {
                throw new CheckpointFormatException(file, null, "is not a JSON object");
            }
            JsonElement e = read(in, file, new ArrayDeque<>());
            if (in.peek() != JsonToken.END_DOCUMENT) {
                throw new CheckpointFormatException(file, null, "text follows the JSON object at " + in.getPath());
            }
            return e.getAsJsonObject();
        } catch (CheckpointFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CheckpointFormatException(file, null, "is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static JsonElement read(JsonReader in, Path file, Deque<String> path) throws IOException {
        if (path.size() > MAX_DEPTH) {
            throw new CheckpointFormatException(file, String.join(".", path), "JSON nested deeper than " + MAX_DEPTH);
        }
        switch (in.peek()) {
            case BEGIN_OBJECT: {
                JsonObject o = new JsonObject();
                in.beginObject();
                while (in.hasNext()) {
                    String key = in.nextName();
                    path.addLast(key);
                    if (o.has(key)) {
                        throw new CheckpointFormatException(file, String.join(".", path), "duplicate JSON key");
                    }
                    o.add(key, read(in, file, path));
                    path.removeLast();
                }
                in.endObject();
                return o;
            }
            case BEGIN_ARRAY: {
                JsonArray a = new JsonArray();
                in.beginArray();
                path.addLast("[]");
                while (in.hasNext()) {
                    a.add(read(in, file, path));
                }
                path.removeLast();
                in.endArray();
                return a;
            }
            case STRING:
                return new JsonPrimitive(in.nextString());
            case NUMBER:
                return new JsonPrimitive(new BigDecimal(in.nextString()));
            case BOOLEAN:
                return new JsonPrimitive(in.nextBoolean());
            case NULL:
                in.nextNull();
                return JsonNull.INSTANCE;
            default:
                throw new CheckpointFormatException(file, String.join(".", path), "unexpected " + in.peek());
        }
    }
}
