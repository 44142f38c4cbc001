package io.djlint4.checkpoint;

import static io.djlint4.checkpoint.WeightAssertions.assertFormatError;
import static io.djlint4.checkpoint.WeightAssertions.assertSameConfig;
import static io.djlint4.checkpoint.WeightAssertions.assertSameWeights;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.checkpoint.RandomCheckpoints.HfTensor;
import io.djlint4.model.Architecture;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.model.RandomWeights;
import io.djlint4.model.RopeScaling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hugging Face directories written by RandomCheckpoints, read back; and broken directories. */
class HfCheckpointReaderTest {

    @TempDir Path dir;

    static ModelConfig config(Architecture arch, boolean tied, boolean bias, boolean qkNorm, RopeScaling scaling) {
        return new ModelConfig(arch, 32, 64, 2, 4, 2, 8, 67, 1e-6, 10000.0, scaling, 128, tied, bias, qkNorm, 1,
                new int[] {2});
    }

    static ModelConfig llama() {
        return config(Architecture.LLAMA, false, false, false, null);
    }

    @Test
    void llamaUntiedF32() throws IOException {
        ModelConfig c = config(Architecture.LLAMA, false, false, false, new RopeScaling(8, 1, 4, 64));
        ModelWeights written = RandomCheckpoints.writeHf(dir, c, 1);
        LoadedCheckpoint r = HfCheckpointReader.read(dir, LoadOptions.defaults());
        assertSameConfig(c, r.config());
        assertEquals(c.ropeScaling(), r.config().ropeScaling());
        assertSameWeights(written, r.weights());
        assertEquals(dir, r.source());
        assertTrue(r.metadata().isEmpty());
    }

    @Test
    void qwen2TiedBf16() throws IOException {
        ModelConfig c = config(Architecture.QWEN2, true, true, false, null);
        ModelWeights written = RandomCheckpoints.writeHf(dir, c, 2, SafetensorsDtype.BF16);
        LoadedCheckpoint r = HfCheckpointReader.read(dir, LoadOptions.defaults());
        assertSameConfig(c, r.config());
        assertSameWeights(written, r.weights());
    }

    @Test
    void qwen3F16() throws IOException {
        ModelConfig c = config(Architecture.QWEN3, true, false, true, null);
        ModelWeights written = RandomCheckpoints.writeHf(dir, c, 3, SafetensorsDtype.F16);
        LoadedCheckpoint r = HfCheckpointReader.read(dir, LoadOptions.defaults());
        assertSameConfig(c, r.config());
        assertSameWeights(written, r.weights());
    }

    @Test
    void llamaWithAttentionBias() throws IOException {
        ModelConfig c = config(Architecture.LLAMA, true, true, false, null);
        ModelWeights written = RandomCheckpoints.writeHf(dir, c, 4);
        assertSameWeights(written, HfCheckpointReader.read(dir, LoadOptions.defaults()).weights());
    }

    @Test
    void sharded() throws IOException {
        ModelConfig c = config(Architecture.MISTRAL, false, false, false, null);
        ModelWeights written = RandomCheckpoints.writeHf(dir, RandomWeights.of(c, 5), SafetensorsDtype.F32, 3);
        assertTrue(Files.exists(dir.resolve(HfCheckpointReader.INDEX_FILE)));
        assertTrue(Files.notExists(dir.resolve(HfCheckpointReader.SINGLE_FILE)));
        assertSameWeights(written, HfCheckpointReader.read(dir, LoadOptions.defaults()).weights());
    }

    @Test
    void tiedCheckpointMayStillStoreLmHead() throws IOException {
        ModelConfig c = config(Architecture.QWEN2, true, true, false, null);
        ModelWeights w = RandomWeights.of(c, 6);
        RandomCheckpoints.writeHfConfig(dir, c);
        Map<String, HfTensor> t = RandomCheckpoints.hfTensors(w);
        t.put("lm_head.weight", new HfTensor(new long[] {67, 32}, w.tokenEmbedding()));
        RandomCheckpoints.writeSafetensors(dir, t, SafetensorsDtype.F32, 1);
        ModelWeights r = HfCheckpointReader.read(dir, LoadOptions.defaults()).weights();
        assertSameWeights(w, r);
    }

    // ---- bad input --------------------------------------------------------------------------

    private Map<String, HfTensor> writeConfigAndGetTensors(ModelConfig c) throws IOException {
        RandomCheckpoints.writeHfConfig(dir, c);
        return RandomCheckpoints.hfTensors(RandomWeights.of(c, 7));
    }

    @Test
    void missingTensor() throws IOException {
        Map<String, HfTensor> t = writeConfigAndGetTensors(llama());
        t.remove("model.layers.1.mlp.up_proj.weight");
        RandomCheckpoints.writeSafetensors(dir, t, SafetensorsDtype.F32, 1);
        assertFormatError(() -> HfCheckpointReader.read(dir, LoadOptions.defaults()),
                "model.layers.1.mlp.up_proj.weight", "missing", "model.safetensors");
    }

    @Test
    void missingTensorInShardedCheckpoint() throws IOException {
        Map<String, HfTensor> t = writeConfigAndGetTensors(llama());
        t.remove("model.norm.weight");
        RandomCheckpoints.writeSafetensors(dir, t, SafetensorsDtype.F32, 2);
        assertFormatError(() -> HfCheckpointReader.read(dir, LoadOptions.defaults()),
                "model.norm.weight", "missing", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors");
    }

    @Test
    void missingShardFile() throws IOException {
        Map<String, HfTensor> t = writeConfigAndGetTensors(llama());
        RandomCheckpoints.writeSafetensors(dir, t, SafetensorsDtype.F32, 2);
        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        assertFormatError(() -> HfCheckpointReader.read(dir, LoadOptions.defaults()),
                "model-00002-of-00002.safetensors", "does not exist");
    }

    @Test
    void shapeDisagreesWithConfig() throws IOException {
        Map<String, HfTensor> t = writeConfigAndGetTensors(llama());
        // k_proj stored as if there were 4 kv heads instead of 2.
        t.put("model.layers.0.self_attn.k_proj.weight", new HfTensor(new long[] {32, 32}, new float[32 * 32]));
        RandomCheckpoints.writeSafetensors(dir, t, SafetensorsDtype.F32, 1);
        assertFormatError(() -> HfCheckpointReader.read(dir, LoadOptions.defaults()),
                "model.layers.0.self_attn.k_proj.weight", "[32, 32]", "[16, 32]", "config.json");
    }

    @Test
    void untiedButNoLmHead() throws IOException {
        Map<String, HfTensor> t = writeConfigAndGetTensors(llama());
        t.remove("lm_head.weight");
        RandomCheckpoints.writeSafetensors(dir, t, SafetensorsDtype.F32, 1);
        assertFormatError(() -> HfCheckpointReader.read(dir, LoadOptions.defaults()),
                "lm_head.weight", "tie_word_embeddings is false");
    }

    @Test
    void missingBiasForQwen2() throws IOException {
        Map<String, HfTensor> t = writeConfigAndGetTensors(config(Architecture.QWEN2, true, true, false, null));
        t.remove("model.layers.0.self_attn.v_proj.bias");
        RandomCheckpoints.writeSafetensors(dir, t, SafetensorsDtype.F32, 1);
        assertFormatError(() -> HfCheckpointReader.read(dir, LoadOptions.defaults()),
                "model.layers.0.self_attn.v_proj.bias", "missing");
    }

    @Test
    void nanInWeightIsRejectedUnlessCheckFiniteIsOff() throws IOException {
        Map<String, HfTensor> t = writeConfigAndGetTensors(llama());
        float[] gate = t.get("model.layers.1.mlp.gate_proj.weight").data();
        gate[77] = Float.NaN;
        gate[99] = Float.POSITIVE_INFINITY;
        RandomCheckpoints.writeSafetensors(dir, t, SafetensorsDtype.F32, 1);
        assertFormatError(() -> HfCheckpointReader.read(dir, LoadOptions.defaults()),
                "model.layers.1.mlp.gate_proj.weight", "index 77", "NaN");
        ModelWeights w = HfCheckpointReader.read(dir, new LoadOptions(false)).weights();
        assertTrue(Float.isNaN(w.layers()[1].wGate()[77]));
        assertEquals(Float.POSITIVE_INFINITY, w.layers()[1].wGate()[99]);
    }

    @Test
    void infinityInWeightIsRejected() throws IOException {
        Map<String, HfTensor> t = writeConfigAndGetTensors(llama());
        t.get("model.embed_tokens.weight").data()[5] = Float.NEGATIVE_INFINITY;
        RandomCheckpoints.writeSafetensors(dir, t, SafetensorsDtype.F32, 1);
        assertFormatError(() -> HfCheckpointReader.read(dir, LoadOptions.defaults()),
                "model.embed_tokens.weight", "index 5", "Infinity");
    }

    @Test
    void noWeightsFile() throws IOException {
        RandomCheckpoints.writeHfConfig(dir, llama());
        assertFormatError(() -> HfCheckpointReader.read(dir, LoadOptions.defaults()),
                "model.safetensors", "model.safetensors.index.json");
    }

    @Test
    void unsupportedArchitectureInConfig() throws IOException {
        RandomCheckpoints.writeHf(dir, llama(), 8);
        Files.writeString(dir.resolve("config.json"),
                Files.readString(dir.resolve("config.json")).replace("\"llama\"", "\"phi3\""));
        assertFormatError(() -> HfCheckpointReader.read(dir, LoadOptions.defaults()), "config.json", "phi3");
    }
}
