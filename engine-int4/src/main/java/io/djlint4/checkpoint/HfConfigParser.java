package io.djlint4.checkpoint;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.djlint4.model.Architecture;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.RopeScaling;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a Hugging Face {@code config.json} (and {@code generation_config.json} beside it, if
 * present) into a {@link ModelConfig}. Supported: {@code model_type} (or {@code architectures})
 * llama, mistral, qwen2, qwen3; rope scaling of type {@code llama3} only.
 *
 * <p>Defaults follow the Hugging Face configuration classes: {@code num_key_value_heads} = heads,
 * {@code head_dim} = hidden / heads, {@code rope_theta} 10000, {@code rms_norm_eps} 1e-6, {@code
 * tie_word_embeddings} false, {@code attention_bias} false (Qwen2 always has q/k/v biases; Qwen3
 * always has q/k norms). Keys whose value is JSON {@code null} count as absent. End-of-sequence ids
 * from {@code generation_config.json} are appended to those of {@code config.json}.
 */
public final class HfConfigParser {

    /** The file name of the model configuration. */
    public static final String CONFIG_FILE = "config.json";

    /** The file name of the generation configuration. */
    public static final String GENERATION_CONFIG_FILE = "generation_config.json";

    private HfConfigParser() {}

    /**
     * Parses a {@code config.json}, merging {@code generation_config.json} from the same directory.
     *
     * @param configFile the config.json path
     * @return the configuration
     * @throws IOException if a file cannot be read, is not valid JSON, or describes an unsupported
     *     or inconsistent model
     */
    public static ModelConfig parse(Path configFile) throws IOException {
        JsonObject c = readObject(configFile);
        Path gen = configFile.resolveSibling(GENERATION_CONFIG_FILE);
        JsonObject g = Files.isRegularFile(gen) ? readObject(gen) : null;
        return parse(configFile, c, gen, g);
    }

    private static ModelConfig parse(Path file, JsonObject c, Path genFile, JsonObject g)
            throws CheckpointFormatException {
        Architecture arch = architecture(file, c);
        String act = string(file, c, "hidden_act");
        if (act != null && !act.equals("silu")) {
            throw new CheckpointFormatException(
                    file, "hidden_act", "unsupported activation '" + act + "' (only silu is supported)");
        }
        int hidden = requireInt(file, c, "hidden_size");
        int intermediate = requireInt(file, c, "intermediate_size");
        int layers = requireInt(file, c, "num_hidden_layers");
        int heads = requireInt(file, c, "num_attention_heads");
        Integer kv = optInt(file, c, "num_key_value_heads");
        Integer headDim = optInt(file, c, "head_dim");
        if (headDim == null) {
            if (heads <= 0 || hidden % heads != 0) {
                throw new CheckpointFormatException(
                        file,
                        "head_dim",
                        "head_dim is absent and hidden_size " + hidden + " is not a multiple of num_attention_heads " + heads);
            }
            headDim = hidden / heads;
        }
        int vocab = requireInt(file, c, "vocab_size");
        int maxPos = requireInt(file, c, "max_position_embeddings");
        Double eps = optDouble(file, c, "rms_norm_eps");
        Double theta = optDouble(file, c, "rope_theta");
        Boolean tie = optBool(file, c, "tie_word_embeddings");
        Boolean bias = optBool(file, c, "attention_bias");
        boolean attentionBias = arch == Architecture.QWEN2 || (bias != null && bias);
        boolean qkNorm = arch == Architecture.QWEN3;
        RopeScaling scaling = ropeScaling(file, c);

        Integer bos = optInt(file, c, "bos_token_id");
        if (bos == null && g != null) {
            bos = optInt(genFile, g, "bos_token_id");
        }
        Set<Integer> eos = new LinkedHashSet<>();
        addIds(file, c, "eos_token_id", eos);
        if (g != null) {
            addIds(genFile, g, "eos_token_id", eos);
        }
        try {
            return new ModelConfig(
                    arch,
                    hidden,
                    intermediate,
                    layers,
                    heads,
                    kv == null ? heads : kv,
                    headDim,
                    vocab,
                    eps == null ? 1e-6 : eps,
                    theta == null ? 10000.0 : theta,
                    scaling,
                    maxPos,
                    tie != null && tie,
                    attentionBias,
                    qkNorm,
                    bos == null ? -1 : bos,
                    eos.stream().mapToInt(Integer::intValue).toArray());
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(file, null, e.getMessage(), e);
        }
    }

    private static Architecture architecture(Path file, JsonObject c) throws CheckpointFormatException {
        String type = string(file, c, "model_type");
        String key = "model_type";
        if (type == null) {
            JsonElement archs = c.get("architectures");
            if (archs != null
                    && archs.isJsonArray()
                    && archs.getAsJsonArray().size() > 0
                    && archs.getAsJsonArray().get(0).isJsonPrimitive()) {
                String a = archs.getAsJsonArray().get(0).getAsString();
                type = a.replaceFirst("(ForCausalLM|Model|LMHeadModel)$", "").toLowerCase(Locale.ROOT);
                key = "architectures";
            }
        }
        if (type == null) {
            throw new CheckpointFormatException(
                    file, "model_type", "neither model_type nor architectures is present");
        }
        try {
            return Architecture.fromModelType(type, file.toString());
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(file, key, e.getMessage(), e);
        }
    }

    private static RopeScaling ropeScaling(Path file, JsonObject c) throws CheckpointFormatException {
        JsonElement e = c.get("rope_scaling");
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonObject()) {
            throw new CheckpointFormatException(file, "rope_scaling", "must be an object or null");
        }
        JsonObject s = e.getAsJsonObject();
        String type = string(file, s, "rope_type");
        if (type == null) {
            type = string(file, s, "type");
        }
        if (type == null || type.equals("default")) {
            return null;
        }
        if (!type.equals("llama3")) {
            throw new CheckpointFormatException(
                    file,
                    "rope_scaling",
                    "unsupported rope scaling type '" + type + "' (supported: llama3)");
        }
        double factor = requireDouble(file, s, "factor", "rope_scaling.");
        double low = requireDouble(file, s, "low_freq_factor", "rope_scaling.");
        double high = requireDouble(file, s, "high_freq_factor", "rope_scaling.");
        int orig = (int) requireDouble(file, s, "original_max_position_embeddings", "rope_scaling.");
        if (!(factor >= 1) || !Double.isFinite(factor) || !(low > 0) || !(high > low) || !Double.isFinite(high)
                || orig <= 0) {
            throw new CheckpointFormatException(
                    file,
                    "rope_scaling",
                    "invalid llama3 parameters: factor="
                            + factor
                            + ", low_freq_factor="
                            + low
                            + ", high_freq_factor="
                            + high
                            + ", original_max_position_embeddings="
                            + orig);
        }
        return new RopeScaling(factor, low, high, orig);
    }

    private static void addIds(Path file, JsonObject o, String key, Set<Integer> out)
            throws CheckpointFormatException {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return;
        }
        if (e.isJsonArray()) {
            JsonArray a = e.getAsJsonArray();
            for (int i = 0; i < a.size(); i++) {
                out.add(toInt(file, key + "[" + i + "]", a.get(i)));
            }
        } else {
            out.add(toInt(file, key, e));
        }
    }

    static JsonObject readObject(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new CheckpointFormatException(file, null, "not valid UTF-8", e);
        }
        try {
            JsonElement e = JsonParser.parseString(text);
            if (!e.isJsonObject()) {
                throw new CheckpointFormatException(file, "the file is not a JSON object");
            }
            return e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new CheckpointFormatException(file, null, "invalid JSON: " + e.getMessage(), e);
        }
    }

    private static JsonPrimitive primitive(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() || !e.isJsonPrimitive() ? null : e.getAsJsonPrimitive();
    }

    private static String string(Path file, JsonObject o, String key) throws CheckpointFormatException {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new CheckpointFormatException(file, key, "expected a string, found " + e);
        }
        return e.getAsString();
    }

    private static int toInt(Path file, String key, JsonElement e) throws CheckpointFormatException {
        try {
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
                return e.getAsJsonPrimitive().getAsBigDecimal().intValueExact();
            }
        } catch (ArithmeticException ex) {
            // fall through to the error below
        }
        throw new CheckpointFormatException(file, key, "expected an integer, found " + e);
    }

    private static Integer optInt(Path file, JsonObject o, String key) throws CheckpointFormatException {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        return toInt(file, key, e);
    }

    private static int requireInt(Path file, JsonObject o, String key) throws CheckpointFormatException {
        Integer v = optInt(file, o, key);
        if (v == null) {
            throw new CheckpointFormatException(file, key, "required key is missing");
        }
        return v;
    }

    private static Double optDouble(Path file, JsonObject o, String key) throws CheckpointFormatException {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        JsonPrimitive p = primitive(o, key);
        if (p == null || !p.isNumber()) {
            throw new CheckpointFormatException(file, key, "expected a number, found " + e);
        }
        return p.getAsDouble();
    }

    private static double requireDouble(Path file, JsonObject o, String key, String prefix)
            throws CheckpointFormatException {
        Double v = optDouble(file, o, key);
        if (v == null) {
            throw new CheckpointFormatException(file, prefix + key, "required key is missing");
        }
        return v;
    }

    private static Boolean optBool(Path file, JsonObject o, String key) throws CheckpointFormatException {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        JsonPrimitive p = primitive(o, key);
        if (p == null || !p.isBoolean()) {
            throw new CheckpointFormatException(file, key, "expected true or false, found " + e);
        }
        return p.getAsBoolean();
    }
}
