package io.djlint4.checkpoint;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.djlint4.model.LayerWeights;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a Hugging Face checkpoint directory: {@code config.json} plus either {@code
 * model.safetensors} or shards listed in {@code model.safetensors.index.json} ({@code
 * weight_map}). Tensor names are those of the transformers Llama/Mistral/Qwen2/Qwen3 modelling
 * code; every tensor's shape is checked against the configuration, every tensor must be used by it
 * (so that config.json cannot describe less than the files hold), and F32, F16 and BF16 tensors
 * are widened to float.
 */
public final class HfCheckpointReader {

    /** The single-file weights. */
    public static final String SINGLE_FILE = "model.safetensors";

    /** The shard index of sharded weights. */
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private HfCheckpointReader() {}

    /**
     * Reads a checkpoint directory.
     *
     * @param dir the directory holding config.json and the safetensors file(s)
     * @param options load options
     * @return the configuration and weights; metadata is empty
     * @throws IOException if a file is missing, unreadable or disagrees with config.json
     */
    public static LoadedCheckpoint read(Path dir, LoadOptions options) throws IOException {
        Path configFile = dir.resolve(HfConfigParser.CONFIG_FILE);
        if (!Files.isRegularFile(configFile)) {
            throw new CheckpointFormatException(dir, HfConfigParser.CONFIG_FILE, "the checkpoint directory has no config.json");
        }
        ModelConfig config = HfConfigParser.parse(configFile);
        try (Tensors t = Tensors.open(dir, options.checkFinite())) {
            ModelWeights weights = readWeights(config, t);
            return new LoadedCheckpoint(config, weights, Map.of(), dir);
        }
    }

    private static ModelWeights readWeights(ModelConfig c, Tensors t) throws IOException {
        int h = c.hiddenSize();
        int inter = c.intermediateSize();
        int q = c.qDim();
        int kv = c.kvDim();
        // The layer count sizes an allocation: check it against the tensors before trusting it.
        String lastLayer = "model.layers." + (c.numLayers() - 1) + ".input_layernorm.weight";
        if (!t.contains(lastLayer)) {
            throw new CheckpointFormatException(t.dir.resolve(HfConfigParser.CONFIG_FILE), "num_hidden_layers",
                    c.numLayers() + " layers, but the checkpoint has no " + lastLayer + " (searched " + t.searched() + ")");
        }
        float[] embedding = t.read("model.embed_tokens.weight", c.vocabSize(), h);
        LayerWeights[] layers = new LayerWeights[c.numLayers()];
        for (int i = 0; i < layers.length; i++) {
            String p = "model.layers." + i + ".";
            String a = p + "self_attn.";
            boolean bias = c.attentionBias();
            layers[i] =
                    new LayerWeights(
                            t.read(p + "input_layernorm.weight", h),
                            t.read(a + "q_proj.weight", q, h),
                            t.read(a + "k_proj.weight", kv, h),
                            t.read(a + "v_proj.weight", kv, h),
                            t.read(a + "o_proj.weight", h, q),
                            bias ? t.read(a + "q_proj.bias", q) : null,
                            bias ? t.read(a + "k_proj.bias", kv) : null,
                            bias ? t.read(a + "v_proj.bias", kv) : null,
                            c.qkNorm() ? t.read(a + "q_norm.weight", c.headDim()) : null,
                            c.qkNorm() ? t.read(a + "k_norm.weight", c.headDim()) : null,
                            t.read(p + "post_attention_layernorm.weight", h),
                            t.read(p + "mlp.gate_proj.weight", inter, h),
                            t.read(p + "mlp.up_proj.weight", inter, h),
                            t.read(p + "mlp.down_proj.weight", h, inter));
        }
        float[] norm = t.read("model.norm.weight", h);
        float[] lmHead;
        if (c.tieWordEmbeddings()) {
            lmHead = embedding;
        } else {
            if (!t.contains("lm_head.weight")) {
                throw new CheckpointFormatException(
                        t.dir.resolve(HfConfigParser.CONFIG_FILE),
                        "lm_head.weight",
                        "tie_word_embeddings is false but the checkpoint has no lm_head.weight (searched "
                                + t.searched()
                                + ")");
            }
            lmHead = t.read("lm_head.weight", c.vocabSize(), h);
        }
        t.requireAllRead(c.tieWordEmbeddings());
        return new ModelWeights(c, embedding, layers, norm, lmHead);
    }

    /**
     * Checks that every value is finite, naming the tensor and the first bad index.
     *
     * @param file the file the tensor came from
     * @param name the tensor name
     * @param v the values
     * @throws CheckpointFormatException at the first NaN or infinity
     */
    public static void checkFinite(Path file, String name, float[] v) throws CheckpointFormatException {
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new CheckpointFormatException(
                        file,
                        name,
                        "value " + v[i] + " at index " + i + " is not finite (load with checkFinite=false to accept it)");
            }
        }
    }

    /** The tensors of a directory, from one file or several shards. */
    private static final class Tensors implements Closeable {
        private final Path dir;
        private final boolean checkFinite;
        /** Tensor name to shard file name; null for a single file. */
        private final Map<String, String> weightMap;
        private final Path indexFile;
        private final Map<String, SafetensorsReader> open = new LinkedHashMap<>();
        private final Set<String> read = new HashSet<>();

        private Tensors(Path dir, boolean checkFinite, Map<String, String> weightMap, Path indexFile) {
            this.dir = dir;
            this.checkFinite = checkFinite;
            this.weightMap = weightMap;
            this.indexFile = indexFile;
        }

        static Tensors open(Path dir, boolean checkFinite) throws IOException {
            Path single = dir.resolve(SINGLE_FILE);
            if (Files.isRegularFile(single)) {
                Tensors t = new Tensors(dir, checkFinite, null, null);
                t.open.put(SINGLE_FILE, SafetensorsReader.open(single));
                return t;
            }
            Path index = dir.resolve(INDEX_FILE);
            if (!Files.isRegularFile(index)) {
                throw new CheckpointFormatException(
                        dir,
                        SINGLE_FILE,
                        "no weights found: expected "
                                + SINGLE_FILE
                                + " or "
                                + INDEX_FILE
                                + " (PyTorch .bin weights are not supported)");
            }
            JsonObject o = HfConfigParser.readObject(index);
            JsonElement wm = o.get("weight_map");
            if (wm == null || !wm.isJsonObject()) {
                throw new CheckpointFormatException(index, "weight_map", "the index has no weight_map object");
            }
            Map<String, String> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : wm.getAsJsonObject().entrySet()) {
                JsonElement v = e.getValue();
                if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
                    throw new CheckpointFormatException(index, e.getKey(), "weight_map value is not a file name");
                }
                String shard = v.getAsString();
                if (shard.contains("/") || shard.contains("\\") || shard.equals("..")) {
                    throw new CheckpointFormatException(
                            index, e.getKey(), "shard '" + shard + "' is not a plain file name");
                }
                map.put(e.getKey(), shard);
            }
            return new Tensors(dir, checkFinite, map, index);
        }

        boolean contains(String name) throws IOException {
            if (weightMap == null) {
                return open.get(SINGLE_FILE).contains(name);
            }
            return weightMap.containsKey(name) && shard(name, weightMap.get(name)).contains(name);
        }

        String searched() {
            if (weightMap == null) {
                return dir.resolve(SINGLE_FILE).toString();
            }
            return indexFile + " with shards " + new TreeSet<>(weightMap.values());
        }

        private SafetensorsReader shard(String tensor, String shardName) throws IOException {
            SafetensorsReader r = open.get(shardName);
            if (r == null) {
                Path p = dir.resolve(shardName);
                if (!Files.isRegularFile(p)) {
                    throw new CheckpointFormatException(
                            indexFile, tensor, "weight_map names shard " + shardName + ", which does not exist");
                }
                r = SafetensorsReader.open(p);
                open.put(shardName, r);
            }
            return r;
        }

        float[] read(String name, long... shape) throws IOException {
            SafetensorsReader r;
            if (weightMap == null) {
                r = open.get(SINGLE_FILE);
            } else {
                String shardName = weightMap.get(name);
                if (shardName == null) {
                    throw new CheckpointFormatException(
                            indexFile, name, "tensor is missing: not in the weight_map (searched " + searched() + ")");
                }
                r = shard(name, shardName);
            }
            SafetensorsTensorInfo info = r.info(name);
            if (info == null) {
                throw new CheckpointFormatException(
                        r.file(), name, "tensor is missing (searched " + r.file() + ")");
            }
            if (!Arrays.equals(info.shape(), shape)) {
                throw new CheckpointFormatException(
                        r.file(),
                        name,
                        "shape "
                                + Arrays.toString(info.shape())
                                + " disagrees with config.json, which implies "
                                + Arrays.toString(shape));
            }
            float[] v = r.readFloats(name);
            if (checkFinite) {
                checkFinite(r.file(), name, v);
            }
            read.add(name);
            return v;
        }

        /**
         * Fails when the files hold tensors the configuration does not use, which means that
         * config.json describes less than the files hold (fewer layers, no bias, a tied classifier).
         * Rope tables that old exports store, and a classifier that a tied checkpoint stores anyway,
         * are tolerated.
         */
        void requireAllRead(boolean tied) throws IOException {
            List<String> unused = new ArrayList<>();
            Collection<String> names = weightMap != null ? weightMap.keySet() : open.get(SINGLE_FILE).tensorNames();
            for (String name : names) {
                boolean tolerated = name.endsWith(".rotary_emb.inv_freq") || (tied && name.equals("lm_head.weight"));
                if (!read.contains(name) && !tolerated) {
                    unused.add(name);
                }
            }
            if (!unused.isEmpty()) {
                throw new CheckpointFormatException(dir.resolve(HfConfigParser.CONFIG_FILE), unused.get(0),
                        unused.size() + " tensor(s) of " + searched() + " are not used by config.json, which then"
                                + " describes another model: " + (unused.size() > 8 ? unused.subList(0, 8) + "..." : unused));
            }
        }

        @Override
        public void close() throws IOException {
            IOException first = null;
            for (SafetensorsReader r : open.values()) {
                try {
                    r.close();
                } catch (IOException e) {
                    if (first == null) {
                        first = e;
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }
}
