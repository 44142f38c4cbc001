package io.djlint4.quant.saved;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.djlint4.checkpoint.CheckpointFormatException;
import io.djlint4.checkpoint.StrictJson;
import io.djlint4.kernels.Fp4Format;
import io.djlint4.model.LinearSlot;
import io.djlint4.model.ModelConfig;
import io.djlint4.quant.ActivationPlan;
import io.djlint4.quant.WeightPlan;
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
import java.util.TreeSet;

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
 * @param tokenizerSha256 SHA-256 of each tokenizer file, by name
 * @param tensors every tensor of the safetensors file: its dtype and shape
 * @param linears the grid of every quantized projection of the integer recipes; empty for
 *     full-precision weights, {@code fp4} and {@code rptq}
 * @param fp4Linears the formats of every projection and of the classifier of an {@code fp4}
 *     model; absent otherwise (and in version 2)
 * @param rptq the grid widths of an {@code rptq} model; absent otherwise (and in version 2)
 * @param activationPlan every linear input's activation width and the errors it was chosen by, for
 *     an {@code auto} W·A recipe; absent otherwise (and before version 4)
 * @param weightPlan every projection's group size and the errors it was chosen by, for an {@code
 *     auto} weight-only recipe; absent otherwise (and before version 5)
 * @param headerSha256 SHA-256 of the canonical form of every other field (keys sorted, no
 *     spaces), so that no value of the header can change without the loader noticing; {@code
 *     null} until {@link #toJson()} computes it
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
        Map<String, String> tokenizerSha256,
        Map<String, TensorEntry> tensors,
        List<LinearEntry> linears,
        List<Fp4LinearEntry> fp4Linears,
        RptqEntry rptq,
        List<ActivationPlan.PlannedInput> activationPlan,
        List<WeightPlan.PlannedWeight> weightPlan,
        String headerSha256) {

    /** The header's file name; a directory holding it is a saved quantized model. */
    public static final String FILE_NAME = "int4-quantized.json";

    /** The value of {@code format}. */
    public static final String FORMAT = "djl-int4-quantized";

    /**
     * The layout version this build writes (2: tokenizer copies and the header digest; 3: {@code
     * fp4} and {@code rptq} models; 4: the activation plan of {@code auto} models; 5: the weight plan
     * of weight-only {@code auto} models).
     */
    public static final int VERSION = 5;

    /** The oldest version this build reads: versions 3 to 5 only add fields that version 2 never has. */
    public static final int OLDEST_READABLE_VERSION = 2;

    private static final String DIGEST_FIELD = "headerSha256";

    /** The values {@code base.format} takes. */
    private static final List<String> BASE_FORMATS = List.of("gguf", "huggingface", "llama2.c");

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
     * The formats of one LLM-FP4 layer; its codes, row biases, input shifts and input bias are
     * tensors named after {@code module}.
     *
     * @param module the layer's tensor prefix, e.g. {@code model.layers.0.self_attn.q_proj} or
     *     {@code lm_head}
     * @param weightFormat the FP4 format of its weights ({@code E2M1}, {@code E3M0} or {@code E1M2})
     * @param inputFormat the FP4 format of its input
     */
    public record Fp4LinearEntry(String module, String weightFormat, String inputFormat) {}

    /**
     * The grid widths of an RPTQ model; its reorders, grids and codes are tensors.
     *
     * @param activationBits the activation grid width of each linear input, in slot order (q/k/v,
     *     o_proj, gate/up, down_proj)
     * @param weightBits the weight grid width, 0 when weights stay in full precision
     * @param kvBits the cache grid width, 0 for a full-precision cache
     */
    public record RptqEntry(int[] activationBits, int weightBits, int kvBits) {}

    /**
     * Returns the header as JSON, with {@code headerSha256} computed over the other fields.
     *
     * @return pretty-printed JSON
     */
    public String toJson() {
        JsonObject o = GSON.toJsonTree(this).getAsJsonObject();
        o.remove(DIGEST_FIELD);
        JsonObject reread;
        try {
            // The digest covers the fields as a reader parses them, numbers included.
            reread = StrictJson.parseObject(GSON.toJson(o), Path.of(FILE_NAME));
        } catch (CheckpointFormatException e) {
            throw new IllegalStateException("the header's own JSON does not parse", e);
        }
        o.addProperty(DIGEST_FIELD, digestOf(reread));
        return GSON.toJson(o);
    }

    /**
     * Parses a header, checking its digest and the range of every value.
     *
     * @param json the text
     * @param file the file it came from, for messages
     * @return the header, with every field present
     * @throws CheckpointFormatException naming the file and field if the text is not a header of
     *     this version, has duplicate keys, was altered since it was written, or holds a value
     *     out of range
     */
    public static QuantizedModelHeader parse(String json, Path file) throws CheckpointFormatException {
        JsonObject o = StrictJson.parseObject(json, file);
        if (!o.has("format") || !FORMAT.equals(asString(o.get("format")))) {
            throw new CheckpointFormatException(file, "format", "not a saved quantized model header (format must be '"
                    + FORMAT + "')");
        }
        JsonElement version = o.get("formatVersion");
        if (version == null || !version.isJsonPrimitive() || !version.getAsJsonPrimitive().isNumber()
                || !readable(version.getAsString())) {
            throw new CheckpointFormatException(file, "formatVersion", "unsupported version " + version
                    + "; this build reads versions " + OLDEST_READABLE_VERSION + " to " + VERSION
                    + " (quantize the base model again)");
        }
        JsonElement digest = o.get(DIGEST_FIELD);
        JsonObject content = o.deepCopy();
        content.remove(DIGEST_FIELD);
        if (digest == null || !digestOf(content).equals(asString(digest))) {
            throw new CheckpointFormatException(file, DIGEST_FIELD, digest == null ? "missing from the header"
                    : "differs from the digest of the header's content: the header was altered since it was written");
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
            h.tensorsFile, h.tensorsSha256, h.tokenizerFiles, h.tokenizerSha256, h.tensors, h.linears};
        String[] names = {"recipe", "settings", "kvCache", "config", "baseConfig", "baseConfigSha256", "base",
            "tensorsFile", "tensorsSha256", "tokenizerFiles", "tokenizerSha256", "tensors", "linears"};
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                missing.add(names[i]);
            }
        }
        if (!missing.isEmpty()) {
            throw new CheckpointFormatException(file, missing.get(0), "missing from the header (missing: " + missing + ")");
        }
        h.checkValues(file);
        return h;
    }

    private static boolean readable(String version) {
        for (int v = OLDEST_READABLE_VERSION; v <= VERSION; v++) {
            if (version.equals(Integer.toString(v))) {
                return true;
            }
        }
        return false;
    }

    /** Checks the values Gson cannot: enums it left null, names, and the linears' ranges. */
    private void checkValues(Path file) throws CheckpointFormatException {
        if (!BASE_FORMATS.contains(base.format())) {
            throw new CheckpointFormatException(file, "base.format", "'" + base.format() + "' is not one of "
                    + BASE_FORMATS);
        }
        if (!new java.util.HashSet<>(tokenizerFiles).equals(tokenizerSha256.keySet())) {
            throw new CheckpointFormatException(file, "tokenizerSha256", "names " + tokenizerSha256.keySet()
                    + " but tokenizerFiles lists " + tokenizerFiles);
        }
        for (String name : tokenizerFiles) {
            requirePlainName(file, "tokenizerFiles", name);
        }
        requirePlainName(file, "tensorsFile", tensorsFile);
        for (Map.Entry<String, TensorEntry> e : tensors.entrySet()) {
            if (e.getValue() == null || e.getValue().dtype() == null || e.getValue().shape() == null) {
                throw new CheckpointFormatException(file, "tensors." + e.getKey(), "needs a dtype and a shape");
            }
        }
        for (int i = 0; i < linears.size(); i++) {
            LinearEntry e = linears.get(i);
            if (e == null || e.module() == null || e.layout() == null || e.bits() < 2 || e.bits() > 4
                    || e.groupSize() <= 0) {
                throw new CheckpointFormatException(file, "linears[" + i + "]", "needs a module, a layout (one of "
                        + java.util.Arrays.toString(GroupLayout.values()) + "), 2 to 4 bits and a positive group size,"
                        + " got " + e);
            }
        }
        if (fp4Linears != null) {
            for (int i = 0; i < fp4Linears.size(); i++) {
                Fp4LinearEntry e = fp4Linears.get(i);
                String field = "fp4Linears[" + i + "]";
                if (e == null || e.module() == null) {
                    throw new CheckpointFormatException(file, field, "needs a module and two formats, got " + e);
                }
                requireFp4Format(file, field + ".weightFormat", e.weightFormat());
                requireFp4Format(file, field + ".inputFormat", e.inputFormat());
            }
        }
        if (activationPlan != null) {
            try {
                new ActivationPlan(activationPlan);
            } catch (RuntimeException e) {
                throw new CheckpointFormatException(file, "activationPlan", e.getMessage(), e);
            }
        }
        if (weightPlan != null) {
            try {
                new WeightPlan(weightPlan);
            } catch (RuntimeException e) {
                throw new CheckpointFormatException(file, "weightPlan", e.getMessage(), e);
            }
        }
        if (rptq != null) {
            int[] a = rptq.activationBits();
            if (a == null || a.length != LinearSlot.values().length) {
                throw new CheckpointFormatException(file, "rptq.activationBits", "needs one width per linear input "
                        + java.util.Arrays.toString(LinearSlot.values()) + ", got " + java.util.Arrays.toString(a));
            }
            for (int bits : a) {
                requireBits(file, "rptq.activationBits", bits, 2, 16);
            }
            if (rptq.weightBits() != 0) {
                requireBits(file, "rptq.weightBits", rptq.weightBits(), 2, 8);
            }
            if (rptq.kvBits() != 0) {
                requireBits(file, "rptq.kvBits", rptq.kvBits(), 2, 16);
            }
        }
    }

    private static void requireFp4Format(Path file, String field, String name) throws CheckpointFormatException {
        for (Fp4Format f : Fp4Format.values()) {
            if (f.name().equals(name)) {
                return;
            }
        }
        throw new CheckpointFormatException(file, field, "unknown FP4 format '" + name + "'; known: "
                + java.util.Arrays.toString(Fp4Format.values()));
    }

    private static void requireBits(Path file, String field, int bits, int min, int max)
            throws CheckpointFormatException {
        if (bits < min || bits > max) {
            throw new CheckpointFormatException(file, field, bits + " bits is outside [" + min + ", " + max + "]");
        }
    }

    private static void requirePlainName(Path file, String field, String name) throws CheckpointFormatException {
        Path p = name == null || name.isEmpty() ? null : Path.of(name);
        if (p == null || p.getNameCount() != 1 || p.isAbsolute() || name.equals("..") || name.equals(".")) {
            throw new CheckpointFormatException(file, field, "'" + name + "' is not a plain file name; every file"
                    + " a saved model names is in its directory");
        }
    }

    /**
     * Returns the digest of a header's fields: SHA-256 of their canonical JSON (object keys sorted
     * at every level, no spaces).
     *
     * @param content the header without {@code headerSha256}
     * @return the digest in hex
     */
    static String digestOf(JsonObject content) {
        StringBuilder sb = new StringBuilder();
        canonical(content, sb);
        return sha256(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void canonical(JsonElement e, StringBuilder sb) {
        if (e.isJsonObject()) {
            sb.append('{');
            boolean first = true;
            for (String key : new TreeSet<>(e.getAsJsonObject().keySet())) {
                sb.append(first ? "" : ",").append(new JsonPrimitive(key)).append(':');
                canonical(e.getAsJsonObject().get(key), sb);
                first = false;
            }
            sb.append('}');
        } else if (e.isJsonArray()) {
            sb.append('[');
            for (int i = 0; i < e.getAsJsonArray().size(); i++) {
                sb.append(i == 0 ? "" : ",");
                canonical(e.getAsJsonArray().get(i), sb);
            }
            sb.append(']');
        } else {
            sb.append(e);
        }
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
