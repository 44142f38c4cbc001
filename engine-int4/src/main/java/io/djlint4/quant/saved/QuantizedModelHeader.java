package io.djlint4.quant.saved;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.djlint4.checkpoint.CheckpointFormatException;
import io.djlint4.model.ModelConfig;
import io.djlint4.quant.RecipeSettings;
import io.djlint4.quant.kv.KvCacheSettings;
import io.djlint4.quant.weight.GroupLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The JSON header of a saved quantized model, {@value #FILE_NAME}: what the tensors are and how to
 * rebuild the model from them.
 *
 * @param format always {@value #FORMAT}
 * @param formatVersion the layout version, {@value #VERSION}
 * @param recipe the recipe, e.g. {@code w4a4+rrs+kv4}
 * @param settings the constants it was applied with; {@code seed} is the seed of the rotations
 *     (R1 randomized Hadamard, R2, R3, R4)
 * @param kvCache the grids of the {@code kv4} cache
 * @param config the configuration of the saved model (after rotation the classifier is no longer
 *     tied to the embedding)
 * @param baseConfig the configuration of the base model
 * @param baseConfigSha256 SHA-256 of {@code baseConfig} as JSON, to check a base model against
 * @param base the base model's name and digest
 * @param tiedEmbeddings whether the classifier is the embedding (no {@code lm_head.weight} tensor)
 * @param tensorsFile the safetensors file, in the same directory
 * @param tensorsSha256 SHA-256 of the safetensors file
 * @param tokenizerFiles tokenizer files copied from the base model into the directory
 * @param tensors every tensor of the safetensors file: its dtype and shape
 * @param linears the grid of every quantized projection; empty for full-precision weights
 */
public record QuantizedModelHeader(
        String format,
        int formatVersion,
        String recipe,
        RecipeSettings settings,
        KvCacheSettings kvCache,
        ModelConfig config,
        ModelConfig baseConfig,
        String baseConfigSha256,
        BaseModel base,
        boolean tiedEmbeddings,
        String tensorsFile,
        String tensorsSha256,
        List<String> tokenizerFiles,
        Map<String, TensorEntry> tensors,
        List<LinearEntry> linears) {

    /** The header's file name; a directory holding it is a saved quantized model. */
    public static final String FILE_NAME = "int4-quantized.json";

    /** The value of {@code format}. */
    public static final String FORMAT = "djl-int4-quantized";

    /** The layout version this build writes and reads. */
    public static final int VERSION = 1;

    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /**
     * The model the quantized one was made from, for information: loading never reads it.
     *
     * @param name its file or directory name (never a path)
     * @param format {@code gguf}, {@code huggingface} or {@code llama2.c}
     * @param sha256 SHA-256 of the base file, or {@code null} for a directory
     */
    public record BaseModel(String name, String format, String sha256) {}

    /**
     * One tensor of the safetensors file.
     *
     * @param dtype the safetensors dtype, e.g. {@code U8}
     * @param shape the shape
     */
    public record TensorEntry(String dtype, long[] shape) {}

    /**
     * The grid of one quantized projection.
     *
     * @param layer the decoder layer
     * @param module the projection, e.g. {@code q_proj}
     * @param layout per-OC (groups along a row) or per-IC (groups along a column)
     * @param bits the weight bit width
     * @param symmetric whether the grid is symmetric (zero points 0)
     * @param groupSize columns (per-OC) or rows (per-IC) per grid
     */
    public record LinearEntry(int layer, String module, GroupLayout layout, int bits, boolean symmetric, int groupSize) {}

    /**
     * Returns the header as JSON.
     *
     * @return pretty-printed JSON
     */
    public String toJson() {
        return GSON.toJson(this);
    }

    /**
     * Parses a header.
     *
     * @param json the text
     * @param file the file it came from, for messages
     * @return the header, with every field present
     * @throws CheckpointFormatException if the text is not a header of a known version
     */
    public static QuantizedModelHeader parse(String json, Path file) throws CheckpointFormatException {
        JsonObject o;
        try {
            o = GSON.fromJson(json, JsonObject.class);
        } catch (RuntimeException e) {
            throw new CheckpointFormatException(file, null, "header is not valid JSON: " + e.getMessage(), e);
        }
        if (o == null || !o.has("format") || !FORMAT.equals(asString(o.get("format")))) {
            throw new CheckpointFormatException(file, "format", "not a saved quantized model header (format must be '"
                    + FORMAT + "')");
        }
        JsonElement version = o.get("formatVersion");
        if (version == null || !version.isJsonPrimitive() || version.getAsJsonPrimitive().isString()
                || version.getAsInt() != VERSION) {
            throw new CheckpointFormatException(file, "formatVersion", "unsupported version " + version
                    + "; this build reads version " + VERSION);
        }
        QuantizedModelHeader h;
        try {
            h = GSON.fromJson(o, QuantizedModelHeader.class);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new CheckpointFormatException(file, null, "header cannot be read: " + cause.getMessage(), e);
        }
        List<String> missing = new ArrayList<>();
        Object[] values = {h.recipe, h.settings, h.kvCache, h.config, h.baseConfig, h.baseConfigSha256, h.base,
            h.tensorsFile, h.tensorsSha256, h.tokenizerFiles, h.tensors, h.linears};
        String[] names = {"recipe", "settings", "kvCache", "config", "baseConfig", "baseConfigSha256", "base",
            "tensorsFile", "tensorsSha256", "tokenizerFiles", "tensors", "linears"};
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                missing.add(names[i]);
            }
        }
        if (!missing.isEmpty()) {
            throw new CheckpointFormatException(file, missing.get(0), "missing from the header (missing: " + missing + ")");
        }
        return h;
    }

    private static String asString(JsonElement e) {
        return e.isJsonPrimitive() ? e.getAsString() : null;
    }

    /**
     * Returns the fingerprint of a model configuration.
     *
     * @param config the configuration
     * @return SHA-256 of its JSON form, in hex
     */
    public static String fingerprint(ModelConfig config) {
        return sha256(GSON.toJson(config).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Lists the configuration fields in which two configurations differ, for messages.
     *
     * @param expected the configuration of the header
     * @param actual another configuration
     * @return e.g. {@code [hiddenSize: 64 vs 128]}, empty when equal
     */
    static List<String> differences(ModelConfig expected, ModelConfig actual) {
        JsonObject a = GSON.toJsonTree(expected).getAsJsonObject();
        JsonObject b = GSON.toJsonTree(actual).getAsJsonObject();
        List<String> out = new ArrayList<>();
        for (String key : a.keySet()) {
            if (!a.get(key).equals(b.get(key))) {
                out.add(key + ": " + a.get(key) + " vs " + b.get(key));
            }
        }
        return out;
    }

    static String sha256(byte[] data) {
        return HexFormat.of().formatHex(digest().digest(data));
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md = digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
