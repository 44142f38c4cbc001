package io.djlint4.checkpoint;

import io.djlint4.model.Architecture;
import io.djlint4.model.LayerWeights;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a GGUF model (architectures llama, mistral, qwen2, qwen3) into the canonical layout:
 * quantized tensors are dequantized, GGML's innermost-first dimensions become {@code [rows,
 * cols]}, and the query/key rows that llama.cpp's converter permuted to interleaved rope pairs for
 * llama and mistral are permuted back to rotate-half ({@link RopeLayoutPermutation}); qwen2 and
 * qwen3 use llama.cpp's NEOX rope and are stored unpermuted.
 *
 * <p>A llama3-scaled model carries its rope scaling as the {@code rope_freqs.weight} tensor of
 * per-frequency divisors; they become {@link ModelWeights#ropeInverseFrequencies()} and the
 * configuration's {@code ropeScaling} is then null.
 */
public final class GgufCheckpointReader {

    private GgufCheckpointReader() {}

    /**
     * Reads a GGUF model file.
     *
     * @param file the .gguf file
     * @param options load options
     * @return the configuration, weights and the file's metadata
     * @throws IOException if the file cannot be read, is malformed or describes an unsupported model
     */
    public static LoadedCheckpoint read(Path file, LoadOptions options) throws IOException {
        try (GgufReader r = GgufReader.open(file)) {
            ModelConfig config = config(r);
            Loader t = new Loader(r, options.checkFinite());
            ModelWeights weights = weights(config, t);
            if (r.info("rope_freqs.weight") != null) {
                float[] factors = t.read("rope_freqs.weight", config.headDim() / 2);
                weights =
                        new ModelWeights(
                                weights.config(),
                                weights.tokenEmbedding(),
                                weights.layers(),
                                weights.finalNorm(),
                                weights.lmHead(),
                                RopeFreqFactors.inverseFrequencies(config, factors));
            }
            t.requireAllRead();
            return new LoadedCheckpoint(config, weights, r.metadata(), file);
        }
    }

    /**
     * Derives the model configuration from a GGUF file's metadata and tensor infos.
     *
     * @param r an open reader
     * @return the configuration
     * @throws CheckpointFormatException if keys are missing, malformed or unsupported
     */
    public static ModelConfig config(GgufReader r) throws CheckpointFormatException {
        Path file = r.file();
        Map<String, Object> m = r.metadata();
        Long splits = GgufMetadata.optLong(file, m, "split.count");
        if (splits != null && splits > 1) {
            throw new CheckpointFormatException(
                    file, "split.count", "split GGUF files (" + splits + " parts) are not supported; merge them first");
        }
        String archName = GgufMetadata.optString(file, m, "general.architecture");
        if (archName == null) {
            throw new CheckpointFormatException(file, "general.architecture", "required metadata key is missing");
        }
        Architecture arch;
        try {
            arch = Architecture.fromModelType(archName, file.toString());
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(file, "general.architecture", e.getMessage(), e);
        }
        String p = archName + ".";
        int hidden = GgufMetadata.requireInt(file, m, p + "embedding_length");
        int ffn = uniformInt(file, m, p + "feed_forward_length", true);
        int layers = GgufMetadata.requireInt(file, m, p + "block_count");
        requireBlocks(r, p + "block_count", layers);
        int heads = uniformInt(file, m, p + "attention.head_count", true);
        int kvHeads = m.containsKey(p + "attention.head_count_kv")
                ? uniformInt(file, m, p + "attention.head_count_kv", true)
                : heads;
        Integer keyLength = GgufMetadata.optInt(file, m, p + "attention.key_length");
        if (keyLength == null && (heads <= 0 || hidden % heads != 0)) {
            throw new CheckpointFormatException(
                    file, p + "attention.key_length", "absent, and embedding_length is not a multiple of head_count");
        }
        int headDim = keyLength != null ? keyLength : hidden / heads;
        Integer valueLength = GgufMetadata.optInt(file, m, p + "attention.value_length");
        if (valueLength != null && valueLength != headDim) {
            throw new CheckpointFormatException(
                    file, p + "attention.value_length", "value head size " + valueLength + " differs from key head size " + headDim);
        }
        Integer ropeDims = GgufMetadata.optInt(file, m, p + "rope.dimension_count");
        if (ropeDims != null && ropeDims != headDim) {
            throw new CheckpointFormatException(
                    file, p + "rope.dimension_count", "partial rotary embedding (" + ropeDims + " of " + headDim + " dims) is not supported");
        }
        String scalingType = GgufMetadata.optString(file, m, p + "rope.scaling.type");
        if (scalingType != null && !scalingType.equals("none")) {
            Double f = GgufMetadata.optDouble(file, m, p + "rope.scaling.factor");
            if (f == null || f != 1.0) {
                throw new CheckpointFormatException(
                        file, p + "rope.scaling.type", "unsupported rope scaling type '" + scalingType + "'");
            }
        }
        Double eps = GgufMetadata.optDouble(file, m, p + "attention.layer_norm_rms_epsilon");
        if (eps == null) {
            throw new CheckpointFormatException(
                    file, p + "attention.layer_norm_rms_epsilon", "required metadata key is missing");
        }
        Double theta = GgufMetadata.optDouble(file, m, p + "rope.freq_base");
        int context = GgufMetadata.requireInt(file, m, p + "context_length");
        GgufTensorInfo embd = r.info("token_embd.weight");
        if (embd == null) {
            throw new CheckpointFormatException(file, "token_embd.weight", "tensor is missing");
        }
        Integer vocab = GgufMetadata.optInt(file, m, p + "vocab_size");
        if (vocab == null) {
            long[] d = embd.dims();
            if (d.length != 2 || d[1] > Integer.MAX_VALUE) {
                throw new CheckpointFormatException(
                        file, "token_embd.weight", "expected a 2-dimensional tensor, found " + Arrays.toString(d));
            }
            vocab = (int) d[1];
        }
        boolean tied = r.info("output.weight") == null;
        boolean bias = r.info("blk.0.attn_q.bias") != null;
        boolean qkNorm = r.info("blk.0.attn_q_norm.weight") != null;
        Integer bos = GgufMetadata.optInt(file, m, "tokenizer.ggml.bos_token_id");
        Set<Integer> eos = new LinkedHashSet<>();
        for (String k : new String[] {"eos_token_id", "eot_token_id", "eom_token_id"}) {
            Integer id = GgufMetadata.optInt(file, m, "tokenizer.ggml." + k);
            if (id != null && id >= 0) {
                eos.add(id);
            }
        }
        try {
            return new ModelConfig(
                    arch,
                    hidden,
                    ffn,
                    layers,
                    heads,
                    kvHeads,
                    headDim,
                    vocab,
                    eps,
                    theta == null ? 10000.0 : theta,
                    null,
                    context,
                    tied,
                    bias,
                    qkNorm,
                    bos == null ? -1 : bos,
                    eos.stream().mapToInt(Integer::intValue).toArray());
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(file, null, e.getMessage(), e);
        }
    }

    /**
     * Checks a block count against the tensors before it sizes anything: block {@code count - 1}
     * must exist and block {@code count} must not, so the metadata describes what the file holds.
     */
    private static void requireBlocks(GgufReader r, String key, int count) throws CheckpointFormatException {
        if (count <= 0) {
            return;
        }
        if (r.info("blk." + (count - 1) + ".attn_norm.weight") == null) {
            throw new CheckpointFormatException(r.file(), key, count + " blocks, but the file has no blk."
                    + (count - 1) + ".attn_norm.weight");
        }
        if (r.info("blk." + count + ".attn_norm.weight") != null) {
            throw new CheckpointFormatException(r.file(), key, count + " blocks, but the file holds blk." + count
                    + ".attn_norm.weight too");
        }
    }

    /** Reads an integer that may be stored per layer as an array whose entries must all agree. */
    private static int uniformInt(Path file, Map<String, Object> m, String key, boolean required)
            throws CheckpointFormatException {
        int[] a = GgufMetadata.optIntArray(file, m, key);
        if (a == null) {
            if (required) {
                throw new CheckpointFormatException(file, key, "required metadata key is missing");
            }
            return -1;
        }
        if (a.length == 0) {
            throw new CheckpointFormatException(file, key, "empty array");
        }
        for (int v : a) {
            if (v != a[0]) {
                throw new CheckpointFormatException(
                        file, key, "per-layer values differ " + Arrays.toString(a) + "; only uniform layers are supported");
            }
        }
        return a[0];
    }

    private static ModelWeights weights(ModelConfig c, Loader t) throws IOException {
        int h = c.hiddenSize();
        int inter = c.intermediateSize();
        int q = c.qDim();
        int kv = c.kvDim();
        int d = c.headDim();
        boolean permute = c.architecture() == Architecture.LLAMA || c.architecture() == Architecture.MISTRAL;
        float[] embedding = t.read("token_embd.weight", h, c.vocabSize());
        LayerWeights[] layers = new LayerWeights[c.numLayers()];
        for (int i = 0; i < layers.length; i++) {
            String p = "blk." + i + ".";
            float[] wq = t.read(p + "attn_q.weight", h, q);
            float[] wk = t.read(p + "attn_k.weight", h, kv);
            float[] bq = c.attentionBias() ? t.read(p + "attn_q.bias", q) : null;
            float[] bk = c.attentionBias() ? t.read(p + "attn_k.bias", kv) : null;
            if (permute) {
                wq = RopeLayoutPermutation.interleavedToHalf(wq, c.numHeads(), d, h);
                wk = RopeLayoutPermutation.interleavedToHalf(wk, c.numKvHeads(), d, h);
                if (bq != null) {
                    bq = RopeLayoutPermutation.interleavedToHalf(bq, c.numHeads(), d, 1);
                    bk = RopeLayoutPermutation.interleavedToHalf(bk, c.numKvHeads(), d, 1);
                }
            }
            layers[i] =
                    new LayerWeights(
                            t.read(p + "attn_norm.weight", h),
                            wq,
                            wk,
                            t.read(p + "attn_v.weight", h, kv),
                            t.read(p + "attn_output.weight", q, h),
                            bq,
                            bk,
                            c.attentionBias() ? t.read(p + "attn_v.bias", kv) : null,
                            c.qkNorm() ? t.read(p + "attn_q_norm.weight", d) : null,
                            c.qkNorm() ? t.read(p + "attn_k_norm.weight", d) : null,
                            t.read(p + "ffn_norm.weight", h),
                            t.read(p + "ffn_gate.weight", h, inter),
                            t.read(p + "ffn_up.weight", h, inter),
                            t.read(p + "ffn_down.weight", inter, h));
        }
        float[] norm = t.read("output_norm.weight", h);
        float[] lmHead = c.tieWordEmbeddings() ? embedding : t.read("output.weight", h, c.vocabSize());
        return new ModelWeights(c, embedding, layers, norm, lmHead);
    }

    /**
     * Returns a tensor's info after checking that it exists and has the dimensions the model's
     * configuration implies.
     *
     * @param r an open reader
     * @param name the tensor name
     * @param dims the expected GGML dimensions, innermost first
     * @return the tensor's info
     * @throws CheckpointFormatException naming the tensor when it is missing or shaped otherwise
     */
    public static GgufTensorInfo requireTensor(GgufReader r, String name, long... dims)
            throws CheckpointFormatException {
        GgufTensorInfo info = r.info(name);
        if (info == null) {
            throw new CheckpointFormatException(r.file(), name, "tensor is missing (searched " + r.file() + ")");
        }
        if (!Arrays.equals(info.dims(), dims)) {
            throw new CheckpointFormatException(
                    r.file(),
                    name,
                    "dimensions "
                            + Arrays.toString(info.dims())
                            + " (GGML order, innermost first) disagree with the metadata, which implies "
                            + Arrays.toString(dims));
        }
        return info;
    }

    /**
     * Reads what a GGUF file says of its model without reading a tensor: the configuration and the
     * metadata (tokenizer, chat template), for runs that take the weights from the file's blocks.
     *
     * @param file the .gguf file
     * @return the checkpoint with {@code weights} {@code null}
     * @throws IOException if the file cannot be read or describes an unsupported model
     */
    public static LoadedCheckpoint readHeader(Path file) throws IOException {
        try (GgufReader r = GgufReader.open(file)) {
            return new LoadedCheckpoint(config(r), null, r.metadata(), file);
        }
    }

    /** Reads tensors with shape and finiteness checks, and remembers which it read. */
    private static final class Loader {
        private final GgufReader r;
        private final boolean checkFinite;
        private final Set<String> read = new HashSet<>();

        Loader(GgufReader r, boolean checkFinite) {
            this.r = r;
            this.checkFinite = checkFinite;
        }

        /** Reads a tensor whose GGML dimensions (innermost first) must equal {@code dims}. */
        float[] read(String name, long... dims) throws IOException {
            requireTensor(r, name, dims);
            float[] v = r.readFloats(name);
            if (checkFinite) {
                HfCheckpointReader.checkFinite(r.file(), name, v);
            }
            read.add(name);
            return v;
        }

        /** Fails when the file holds tensors the metadata does not account for. */
        void requireAllRead() throws CheckpointFormatException {
            List<String> unused = new ArrayList<>();
            for (String name : r.tensors().keySet()) {
                if (!read.contains(name)) {
                    unused.add(name);
                }
            }
            if (!unused.isEmpty()) {
                throw new CheckpointFormatException(r.file(), unused.get(0), unused.size() + " tensor(s) are not used"
                        + " by the model the metadata describes: " + (unused.size() > 8 ? unused.subList(0, 8) + "..." : unused));
            }
        }
    }
}
