package io.djlint4.checkpoint;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.djlint4.model.Architecture;
import io.djlint4.model.LayerWeights;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.model.RandomWeights;
import io.djlint4.model.RopeScaling;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Writes random models as real checkpoints, for tests that read them back or compare a forward
 * pass against a reference: a Hugging Face directory (config.json + safetensors, optionally
 * sharded, in F32, F16 or BF16) or a GGUF file (matrices in F32, F16, BF16, Q8_0, Q4_0 or Q4_1;
 * norms and biases in F32 as llama.cpp keeps them; llama/mistral q/k rows permuted to interleaved
 * rope pairs as llama.cpp's converter does).
 *
 * <p>Every {@code write*} method returns the weights a correct reader must produce: the random
 * weights rounded through the storage type, in the canonical layout, with the original
 * configuration (for GGUF, a llama3 rope scaling travels as {@code rope_freqs.weight}).
 */
public final class RandomCheckpoints {

    private RandomCheckpoints() {}

    /** A tensor in Hugging Face naming: shape outermost first and row-major values. */
    public record HfTensor(long[] shape, float[] data) {}

    // ---- Hugging Face --------------------------------------------------------------------

    /**
     * Writes random F32 weights as a Hugging Face directory with one {@code model.safetensors}.
     *
     * @param dir the directory (created if needed)
     * @param config the configuration
     * @param seed the seed
     * @return the weights written
     * @throws IOException if writing fails
     */
    public static ModelWeights writeHf(Path dir, ModelConfig config, long seed) throws IOException {
        return writeHf(dir, RandomWeights.of(config, seed), SafetensorsDtype.F32, 1);
    }

    /**
     * Writes random weights as a Hugging Face directory.
     *
     * @param dir the directory (created if needed)
     * @param config the configuration
     * @param seed the seed
     * @param dtype F32, F16 or BF16
     * @return the weights as a reader must return them (rounded through {@code dtype})
     * @throws IOException if writing fails
     */
    public static ModelWeights writeHf(Path dir, ModelConfig config, long seed, SafetensorsDtype dtype)
            throws IOException {
        return writeHf(dir, RandomWeights.of(config, seed), dtype, 1);
    }

    /**
     * Writes weights as a Hugging Face directory: config.json, generation_config.json and either
     * {@code model.safetensors} ({@code shards == 1}) or {@code shards} files with {@code
     * model.safetensors.index.json}.
     *
     * @param dir the directory (created if needed)
     * @param weights the weights
     * @param dtype F32, F16 or BF16
     * @param shards the number of safetensors files
     * @return the weights as a reader must return them
     * @throws IOException if writing fails
     */
    public static ModelWeights writeHf(Path dir, ModelWeights weights, SafetensorsDtype dtype, int shards)
            throws IOException {
        Files.createDirectories(dir);
        writeHfConfig(dir, weights.config());
        writeSafetensors(dir, hfTensors(weights), dtype, shards);
        return roundTrip(weights, x -> roundThrough(dtype, x));
    }

    /**
     * Writes {@code config.json} and {@code generation_config.json} for a configuration.
     *
     * @param dir the directory
     * @param c the configuration
     * @throws IOException if writing fails
     * @throws IllegalArgumentException if Hugging Face cannot express the configuration (e.g.
     *     Qwen2 without biases)
     */
    public static void writeHfConfig(Path dir, ModelConfig c) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(HfConfigParser.CONFIG_FILE), hfConfigJson(c).toString(), StandardCharsets.UTF_8);
        JsonObject gen = new JsonObject();
        gen.addProperty("bos_token_id", c.bosTokenId());
        gen.add("eos_token_id", ids(c.eosTokenIds()));
        Files.writeString(dir.resolve(HfConfigParser.GENERATION_CONFIG_FILE), gen.toString(), StandardCharsets.UTF_8);
    }

    /**
     * Builds the {@code config.json} object of a configuration.
     *
     * @param c the configuration
     * @return the JSON object (modifiable, for tests that corrupt it)
     */
    public static JsonObject hfConfigJson(ModelConfig c) {
        Architecture a = c.architecture();
        if (a == Architecture.QWEN2 && !c.attentionBias()) {
            throw new IllegalArgumentException("Hugging Face Qwen2 always has q/k/v biases");
        }
        if ((a == Architecture.QWEN3) != c.qkNorm()) {
            throw new IllegalArgumentException("Hugging Face has q/k norms exactly for Qwen3");
        }
        if (a == Architecture.MISTRAL && c.attentionBias()) {
            throw new IllegalArgumentException("Hugging Face Mistral has no attention bias");
        }
        JsonObject o = new JsonObject();
        String cls = switch (a) {
            case LLAMA -> "LlamaForCausalLM";
            case MISTRAL -> "MistralForCausalLM";
            case QWEN2 -> "Qwen2ForCausalLM";
            case QWEN3 -> "Qwen3ForCausalLM";
        };
        JsonArray archs = new JsonArray();
        archs.add(cls);
        o.add("architectures", archs);
        o.addProperty("model_type", a.modelType());
        o.addProperty("hidden_act", "silu");
        o.addProperty("hidden_size", c.hiddenSize());
        o.addProperty("intermediate_size", c.intermediateSize());
        o.addProperty("num_hidden_layers", c.numLayers());
        o.addProperty("num_attention_heads", c.numHeads());
        o.addProperty("num_key_value_heads", c.numKvHeads());
        o.addProperty("head_dim", c.headDim());
        o.addProperty("rms_norm_eps", c.rmsNormEps());
        o.addProperty("rope_theta", c.ropeTheta());
        o.addProperty("max_position_embeddings", c.maxPositionEmbeddings());
        o.addProperty("vocab_size", c.vocabSize());
        o.addProperty("tie_word_embeddings", c.tieWordEmbeddings());
        if (a != Architecture.QWEN2 && a != Architecture.MISTRAL) {
            o.addProperty("attention_bias", c.attentionBias());
        }
        if (c.bosTokenId() >= 0) {
            o.addProperty("bos_token_id", c.bosTokenId());
        }
        int[] eos = c.eosTokenIds();
        if (eos.length == 1) {
            o.addProperty("eos_token_id", eos[0]);
        } else if (eos.length > 1) {
            o.add("eos_token_id", ids(eos));
        }
        RopeScaling s = c.ropeScaling();
        if (s != null) {
            JsonObject r = new JsonObject();
            r.addProperty("rope_type", "llama3");
            r.addProperty("factor", s.factor());
            r.addProperty("low_freq_factor", s.lowFreqFactor());
            r.addProperty("high_freq_factor", s.highFreqFactor());
            r.addProperty("original_max_position_embeddings", s.originalMaxPosition());
            o.add("rope_scaling", r);
        }
        o.addProperty("torch_dtype", "float32");
        return o;
    }

    /**
     * Lists the weights under their Hugging Face names (no lm_head when tied).
     *
     * @param w the weights
     * @return name to tensor, in a stable order
     */
    public static Map<String, HfTensor> hfTensors(ModelWeights w) {
        ModelConfig c = w.config();
        int h = c.hiddenSize();
        int inter = c.intermediateSize();
        Map<String, HfTensor> m = new LinkedHashMap<>();
        m.put("model.embed_tokens.weight", new HfTensor(new long[] {c.vocabSize(), h}, w.tokenEmbedding()));
        for (int i = 0; i < c.numLayers(); i++) {
            LayerWeights l = w.layers()[i];
            String p = "model.layers." + i + ".";
            m.put(p + "input_layernorm.weight", new HfTensor(new long[] {h}, l.attnNorm()));
            m.put(p + "self_attn.q_proj.weight", new HfTensor(new long[] {c.qDim(), h}, l.wq()));
            m.put(p + "self_attn.k_proj.weight", new HfTensor(new long[] {c.kvDim(), h}, l.wk()));
            m.put(p + "self_attn.v_proj.weight", new HfTensor(new long[] {c.kvDim(), h}, l.wv()));
            m.put(p + "self_attn.o_proj.weight", new HfTensor(new long[] {h, c.qDim()}, l.wo()));
            if (l.bq() != null) {
                m.put(p + "self_attn.q_proj.bias", new HfTensor(new long[] {c.qDim()}, l.bq()));
                m.put(p + "self_attn.k_proj.bias", new HfTensor(new long[] {c.kvDim()}, l.bk()));
                m.put(p + "self_attn.v_proj.bias", new HfTensor(new long[] {c.kvDim()}, l.bv()));
            }
            if (l.qNorm() != null) {
                m.put(p + "self_attn.q_norm.weight", new HfTensor(new long[] {c.headDim()}, l.qNorm()));
                m.put(p + "self_attn.k_norm.weight", new HfTensor(new long[] {c.headDim()}, l.kNorm()));
            }
            m.put(p + "post_attention_layernorm.weight", new HfTensor(new long[] {h}, l.ffnNorm()));
            m.put(p + "mlp.gate_proj.weight", new HfTensor(new long[] {inter, h}, l.wGate()));
            m.put(p + "mlp.up_proj.weight", new HfTensor(new long[] {inter, h}, l.wUp()));
            m.put(p + "mlp.down_proj.weight", new HfTensor(new long[] {h, inter}, l.wDown()));
        }
        m.put("model.norm.weight", new HfTensor(new long[] {h}, w.finalNorm()));
        if (!c.tieWordEmbeddings()) {
            m.put("lm_head.weight", new HfTensor(new long[] {c.vocabSize(), h}, w.lmHead()));
        }
        return m;
    }

    /**
     * Writes tensors as {@code model.safetensors}, or as {@code shards} files plus the index.
     *
     * @param dir the directory
     * @param tensors the tensors
     * @param dtype F32, F16 or BF16
     * @param shards the number of files
     * @throws IOException if writing fails
     */
    public static void writeSafetensors(Path dir, Map<String, HfTensor> tensors, SafetensorsDtype dtype, int shards)
            throws IOException {
        if (shards == 1) {
            SafetensorsWriter w = new SafetensorsWriter().putMetadata("format", "pt");
            tensors.forEach((n, t) -> w.addFloats(n, dtype, t.shape(), t.data()));
            w.write(dir.resolve(HfCheckpointReader.SINGLE_FILE));
            return;
        }
        List<String> names = new ArrayList<>(tensors.keySet());
        JsonObject weightMap = new JsonObject();
        for (int s = 0; s < shards; s++) {
            String file = String.format("model-%05d-of-%05d.safetensors", s + 1, shards);
            SafetensorsWriter w = new SafetensorsWriter().putMetadata("format", "pt");
            for (int i = s; i < names.size(); i += shards) {
                HfTensor t = tensors.get(names.get(i));
                w.addFloats(names.get(i), dtype, t.shape(), t.data());
                weightMap.addProperty(names.get(i), file);
            }
            w.write(dir.resolve(file));
        }
        JsonObject index = new JsonObject();
        index.add("metadata", new JsonObject());
        index.add("weight_map", weightMap);
        Files.writeString(
                dir.resolve(HfCheckpointReader.INDEX_FILE),
                new GsonBuilder().setPrettyPrinting().create().toJson(index),
                StandardCharsets.UTF_8);
    }

    // ---- GGUF ----------------------------------------------------------------------------

    /**
     * Writes random weights as an all-F32 GGUF file.
     *
     * @param file the file
     * @param config the configuration
     * @param seed the seed
     * @return the weights written
     * @throws IOException if writing fails
     */
    public static ModelWeights writeGguf(Path file, ModelConfig config, long seed) throws IOException {
        return writeGguf(file, RandomWeights.of(config, seed), GgufType.F32);
    }

    /**
     * Writes random weights as a GGUF file with matrices in {@code matrixType}.
     *
     * @param file the file
     * @param config the configuration
     * @param seed the seed
     * @param matrixType F32, F16, BF16, Q8_0, Q4_0 or Q4_1
     * @return the weights as a reader must return them (dequantized)
     * @throws IOException if writing fails
     */
    public static ModelWeights writeGguf(Path file, ModelConfig config, long seed, GgufType matrixType)
            throws IOException {
        return writeGguf(file, RandomWeights.of(config, seed), matrixType);
    }

    /**
     * Writes weights as a GGUF file with matrices in {@code matrixType}.
     *
     * @param file the file
     * @param weights the weights
     * @param matrixType F32, F16, BF16, Q8_0, Q4_0 or Q4_1
     * @return the weights as a reader must return them (dequantized)
     * @throws IOException if writing fails
     */
    public static ModelWeights writeGguf(Path file, ModelWeights weights, GgufType matrixType) throws IOException {
        ggufWriter(weights, matrixType).write(file);
        return ggufExpected(weights, matrixType);
    }

    /**
     * Builds (without writing) the GGUF file of some weights, for tests that alter it first.
     *
     * @param w the weights
     * @param matrixType the storage type of 2-D tensors (falls back to F32 where a row is not a
     *     whole number of blocks)
     * @return the writer
     */
    public static GgufWriter ggufWriter(ModelWeights w, GgufType matrixType) {
        ModelConfig c = w.config();
        String a = c.architecture().modelType();
        int h = c.hiddenSize();
        int inter = c.intermediateSize();
        GgufWriter g = new GgufWriter();
        g.putString("general.architecture", a);
        g.putString("general.name", "random-" + a);
        g.putUint32("general.alignment", 32);
        g.putUint32(a + ".context_length", c.maxPositionEmbeddings());
        g.putUint32(a + ".embedding_length", h);
        g.putUint32(a + ".block_count", c.numLayers());
        g.putUint32(a + ".feed_forward_length", inter);
        g.putUint32(a + ".attention.head_count", c.numHeads());
        g.putUint32(a + ".attention.head_count_kv", c.numKvHeads());
        g.putUint32(a + ".attention.key_length", c.headDim());
        g.putUint32(a + ".attention.value_length", c.headDim());
        g.putUint32(a + ".rope.dimension_count", c.headDim());
        g.putFloat32(a + ".rope.freq_base", (float) c.ropeTheta());
        g.putFloat32(a + ".attention.layer_norm_rms_epsilon", (float) c.rmsNormEps());
        g.putUint32(a + ".vocab_size", c.vocabSize());
        g.putString("tokenizer.ggml.model", "gpt2");
        String[] tokens = new String[c.vocabSize()];
        float[] scores = new float[c.vocabSize()];
        int[] types = new int[c.vocabSize()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = "tok" + i;
            scores[i] = -i;
            types[i] = 1;
        }
        g.putStringArray("tokenizer.ggml.tokens", tokens);
        g.putFloat32Array("tokenizer.ggml.scores", scores);
        g.putInt32Array("tokenizer.ggml.token_type", types);
        if (c.bosTokenId() >= 0) {
            g.putUint32("tokenizer.ggml.bos_token_id", c.bosTokenId());
        }
        int[] eos = c.eosTokenIds();
        if (eos.length > 0) {
            g.putUint32("tokenizer.ggml.eos_token_id", eos[0]);
        }
        if (eos.length > 1) {
            g.putUint32("tokenizer.ggml.eot_token_id", eos[1]);
        }
        if (c.ropeScaling() != null) {
            g.addFloats(
                    "rope_freqs.weight",
                    new long[] {c.headDim() / 2},
                    GgufType.F32,
                    RopeFreqFactors.llama3(c.headDim(), c.ropeTheta(), c.ropeScaling()));
        }
        boolean permute = permutes(c);
        g.addFloats("token_embd.weight", new long[] {h, c.vocabSize()}, typeFor(matrixType, h), w.tokenEmbedding());
        for (int i = 0; i < c.numLayers(); i++) {
            LayerWeights l = w.layers()[i];
            String p = "blk." + i + ".";
            float[] wq = permute ? RopeLayoutPermutation.halfToInterleaved(l.wq(), c.numHeads(), c.headDim(), h) : l.wq();
            float[] wk = permute ? RopeLayoutPermutation.halfToInterleaved(l.wk(), c.numKvHeads(), c.headDim(), h) : l.wk();
            g.addFloats(p + "attn_norm.weight", new long[] {h}, GgufType.F32, l.attnNorm());
            g.addFloats(p + "attn_q.weight", new long[] {h, c.qDim()}, typeFor(matrixType, h), wq);
            g.addFloats(p + "attn_k.weight", new long[] {h, c.kvDim()}, typeFor(matrixType, h), wk);
            g.addFloats(p + "attn_v.weight", new long[] {h, c.kvDim()}, typeFor(matrixType, h), l.wv());
            g.addFloats(p + "attn_output.weight", new long[] {c.qDim(), h}, typeFor(matrixType, c.qDim()), l.wo());
            if (l.bq() != null) {
                float[] bq = permute ? RopeLayoutPermutation.halfToInterleaved(l.bq(), c.numHeads(), c.headDim(), 1) : l.bq();
                float[] bk = permute ? RopeLayoutPermutation.halfToInterleaved(l.bk(), c.numKvHeads(), c.headDim(), 1) : l.bk();
                g.addFloats(p + "attn_q.bias", new long[] {c.qDim()}, GgufType.F32, bq);
                g.addFloats(p + "attn_k.bias", new long[] {c.kvDim()}, GgufType.F32, bk);
                g.addFloats(p + "attn_v.bias", new long[] {c.kvDim()}, GgufType.F32, l.bv());
            }
            if (l.qNorm() != null) {
                g.addFloats(p + "attn_q_norm.weight", new long[] {c.headDim()}, GgufType.F32, l.qNorm());
                g.addFloats(p + "attn_k_norm.weight", new long[] {c.headDim()}, GgufType.F32, l.kNorm());
            }
            g.addFloats(p + "ffn_norm.weight", new long[] {h}, GgufType.F32, l.ffnNorm());
            g.addFloats(p + "ffn_gate.weight", new long[] {h, inter}, typeFor(matrixType, h), l.wGate());
            g.addFloats(p + "ffn_up.weight", new long[] {h, inter}, typeFor(matrixType, h), l.wUp());
            g.addFloats(p + "ffn_down.weight", new long[] {inter, h}, typeFor(matrixType, inter), l.wDown());
        }
        g.addFloats("output_norm.weight", new long[] {h}, GgufType.F32, w.finalNorm());
        if (!c.tieWordEmbeddings()) {
            g.addFloats("output.weight", new long[] {h, c.vocabSize()}, typeFor(matrixType, h), w.lmHead());
        }
        return g;
    }

    /**
     * Returns what a GGUF reader must produce for weights written with {@link #ggufWriter}.
     *
     * @param w the weights
     * @param matrixType the storage type of matrices
     * @return the dequantized weights in the canonical layout, with the original configuration
     */
    public static ModelWeights ggufExpected(ModelWeights w, GgufType matrixType) {
        ModelConfig c = w.config();
        int h = c.hiddenSize();
        int inter = c.intermediateSize();
        boolean permute = permutes(c);
        UnaryOperator<float[]> byH = x -> roundThrough(typeFor(matrixType, h), x);
        LayerWeights[] layers = new LayerWeights[c.numLayers()];
        for (int i = 0; i < layers.length; i++) {
            LayerWeights l = w.layers()[i];
            float[] wq = l.wq();
            float[] wk = l.wk();
            if (permute) {
                // Quantization blocks run along rows, which the permutation only reorders.
                wq = RopeLayoutPermutation.interleavedToHalf(
                        byH.apply(RopeLayoutPermutation.halfToInterleaved(wq, c.numHeads(), c.headDim(), h)),
                        c.numHeads(), c.headDim(), h);
                wk = RopeLayoutPermutation.interleavedToHalf(
                        byH.apply(RopeLayoutPermutation.halfToInterleaved(wk, c.numKvHeads(), c.headDim(), h)),
                        c.numKvHeads(), c.headDim(), h);
            } else {
                wq = byH.apply(wq);
                wk = byH.apply(wk);
            }
            layers[i] =
                    new LayerWeights(
                            l.attnNorm(),
                            wq,
                            wk,
                            byH.apply(l.wv()),
                            roundThrough(typeFor(matrixType, c.qDim()), l.wo()),
                            l.bq(),
                            l.bk(),
                            l.bv(),
                            l.qNorm(),
                            l.kNorm(),
                            l.ffnNorm(),
                            byH.apply(l.wGate()),
                            byH.apply(l.wUp()),
                            roundThrough(typeFor(matrixType, inter), l.wDown()));
        }
        float[] embedding = byH.apply(w.tokenEmbedding());
        float[] lmHead = c.tieWordEmbeddings() ? embedding : byH.apply(w.lmHead());
        return new ModelWeights(c, embedding, layers, w.finalNorm(), lmHead);
    }

    private static boolean permutes(ModelConfig c) {
        return c.architecture() == Architecture.LLAMA || c.architecture() == Architecture.MISTRAL;
    }

    /** The type a matrix with rows of {@code cols} values is stored in. */
    static GgufType typeFor(GgufType matrixType, int cols) {
        return cols % matrixType.blockSize() == 0 ? matrixType : GgufType.F32;
    }

    /** Encodes and decodes values through a GGUF type. */
    static float[] roundThrough(GgufType type, float[] v) {
        if (type == GgufType.F32) {
            return v;
        }
        ByteBuffer b = ByteBuffer.wrap(GgufWriter.encode(type, v)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[v.length];
        type.dequantizer().dequantize(b, 0, out, 0, v.length / type.blockSize());
        return out;
    }

    /** Rounds values through a safetensors float dtype. */
    static float[] roundThrough(SafetensorsDtype dtype, float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = switch (dtype) {
                case F16 -> Float16.toFloat(Float16.fromFloat(v[i]));
                case BF16 -> Float16.bf16ToFloat(Float16.floatToBf16(v[i]));
                default -> v[i];
            };
        }
        return out;
    }

    private static ModelWeights roundTrip(ModelWeights w, UnaryOperator<float[]> f) {
        LayerWeights[] layers = new LayerWeights[w.layers().length];
        for (int i = 0; i < layers.length; i++) {
            LayerWeights l = w.layers()[i];
            layers[i] =
                    new LayerWeights(
                            f.apply(l.attnNorm()), f.apply(l.wq()), f.apply(l.wk()), f.apply(l.wv()), f.apply(l.wo()),
                            nullable(f, l.bq()), nullable(f, l.bk()), nullable(f, l.bv()),
                            nullable(f, l.qNorm()), nullable(f, l.kNorm()),
                            f.apply(l.ffnNorm()), f.apply(l.wGate()), f.apply(l.wUp()), f.apply(l.wDown()));
        }
        float[] embedding = f.apply(w.tokenEmbedding());
        float[] lmHead = w.config().tieWordEmbeddings() ? embedding : f.apply(w.lmHead());
        return new ModelWeights(w.config(), embedding, layers, f.apply(w.finalNorm()), lmHead);
    }

    private static float[] nullable(UnaryOperator<float[]> f, float[] v) {
        return v == null ? null : f.apply(v);
    }

    private static JsonArray ids(int[] ids) {
        JsonArray a = new JsonArray();
        for (int id : ids) {
            a.add(id);
        }
        return a;
    }
}
