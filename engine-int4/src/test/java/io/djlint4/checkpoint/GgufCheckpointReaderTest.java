package io.djlint4.checkpoint;

import static io.djlint4.checkpoint.WeightAssertions.assertCloseWeights;
import static io.djlint4.checkpoint.WeightAssertions.assertFormatError;
import static io.djlint4.checkpoint.WeightAssertions.assertSameConfig;
import static io.djlint4.checkpoint.WeightAssertions.assertSameWeights;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.model.Architecture;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.model.RandomWeights;
import io.djlint4.model.RopeScaling;
import io.djlint4.model.RotaryEmbedding;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GGUF models written by RandomCheckpoints, read back into the canonical layout; broken models. */
class GgufCheckpointReaderTest {

    @TempDir Path dir;

    static ModelConfig config(Architecture arch, boolean tied, boolean bias, boolean qkNorm, RopeScaling scaling) {
        return new ModelConfig(arch, 32, 64, 2, 4, 2, 8, 67, 1e-5, 10000.0, scaling, 128, tied, bias, qkNorm, 1,
                new int[] {2});
    }

    private LoadedCheckpoint read(Path f) throws IOException {
        return GgufCheckpointReader.read(f, LoadOptions.defaults());
    }

    @Test
    void llamaF32IsUnpermutedExactly() throws IOException {
        ModelConfig c = config(Architecture.LLAMA, false, false, false, null);
        ModelWeights original = RandomWeights.of(c, 11);
        Path f = dir.resolve("llama.gguf");
        RandomCheckpoints.writeGguf(f, original, GgufType.F32);
        LoadedCheckpoint r = read(f);
        assertSameConfig(c, r.config());
        // The file holds q/k in interleaved order; the reader must restore the rotate-half rows.
        assertSameWeights(original, r.weights());
        assertEquals(f, r.source());
        assertEquals(67, ((String[]) r.metadata().get("tokenizer.ggml.tokens")).length);
        assertEquals("llama", r.metadata().get("general.architecture"));
        assertNull(r.weights().ropeInverseFrequencies());
    }

    @Test
    void llamaWithBiasPermutesBiasesToo() throws IOException {
        ModelConfig c = config(Architecture.LLAMA, true, true, false, null);
        ModelWeights original = RandomWeights.of(c, 12);
        Path f = dir.resolve("m.gguf");
        RandomCheckpoints.writeGguf(f, original, GgufType.F32);
        assertSameWeights(original, read(f).weights());
    }

    @Test
    void mistralF16() throws IOException {
        ModelConfig c = config(Architecture.MISTRAL, false, false, false, null);
        Path f = dir.resolve("m.gguf");
        ModelWeights expected = RandomCheckpoints.writeGguf(f, c, 13, GgufType.F16);
        LoadedCheckpoint r = read(f);
        assertSameConfig(c, r.config());
        assertSameWeights(expected, r.weights());
    }

    @Test
    void qwen2TiedQ8_0WithinQuantizationError() throws IOException {
        ModelConfig c = config(Architecture.QWEN2, true, true, false, null);
        ModelWeights original = RandomWeights.of(c, 14);
        Path f = dir.resolve("m.gguf");
        ModelWeights expected = RandomCheckpoints.writeGguf(f, original, GgufType.Q8_0);
        LoadedCheckpoint r = read(f);
        assertSameConfig(c, r.config());
        assertSameWeights(expected, r.weights());
        // Embeddings have std 1, so |x| < ~5: a Q8_0 step is at most 5/127.
        assertCloseWeights(original, r.weights(), 5.0 / 127);
    }

    @Test
    void qwen3Q4_0WithinQuantizationError() throws IOException {
        ModelConfig c = config(Architecture.QWEN3, true, false, true, null);
        ModelWeights original = RandomWeights.of(c, 15);
        Path f = dir.resolve("m.gguf");
        ModelWeights expected = RandomCheckpoints.writeGguf(f, original, GgufType.Q4_0);
        LoadedCheckpoint r = read(f);
        assertSameConfig(c, r.config());
        assertSameWeights(expected, r.weights());
        assertCloseWeights(original, r.weights(), 5.0 / 8);
    }

    @Test
    void llamaQ4_1() throws IOException {
        ModelConfig c = config(Architecture.LLAMA, false, true, false, null);
        Path f = dir.resolve("m.gguf");
        ModelWeights expected = RandomCheckpoints.writeGguf(f, c, 16, GgufType.Q4_1);
        assertSameWeights(expected, read(f).weights());
    }

    @Test
    void llama3RopeScalingTravelsAsFrequencyFactors() throws IOException {
        RopeScaling s = new RopeScaling(8, 1, 4, 64);
        ModelConfig c = config(Architecture.LLAMA, false, false, false, s);
        Path f = dir.resolve("m.gguf");
        RandomCheckpoints.writeGguf(f, c, 17);
        LoadedCheckpoint r = read(f);
        assertNull(r.config().ropeScaling());
        float[] hf = RotaryEmbedding.frequencies(c);
        float[] gguf = r.weights().ropeInverseFrequencies();
        assertEquals(4, gguf.length);
        for (int j = 0; j < hf.length; j++) {
            assertEquals(hf[j], gguf[j], hf[j] * 1e-6, "frequency " + j);
        }
        float[] unscaled = RotaryEmbedding.frequencies(config(Architecture.LLAMA, false, false, false, null));
        assertEquals(unscaled[0], gguf[0], "the highest frequency is kept");
        assertEquals(unscaled[3] / 8, gguf[3], unscaled[3] * 1e-6, "the lowest is divided by the factor");
    }

    @Test
    void optionalKeysFallBackToTensorShapes() throws IOException {
        // With head_count_kv absent it defaults to head_count, so write a model with kv = heads.
        ModelConfig mha = new ModelConfig(Architecture.QWEN2, 32, 64, 2, 4, 4, 8, 67, 1e-5, 10000.0, null, 128,
                false, true, false, 1, new int[] {2});
        ModelWeights wm = RandomWeights.of(mha, 18);
        GgufWriter g = RandomCheckpoints.ggufWriter(wm, GgufType.F32)
                .remove("qwen2.attention.key_length")
                .remove("qwen2.attention.head_count_kv")
                .remove("qwen2.vocab_size")
                .remove("qwen2.rope.freq_base")
                .putUint32Array("qwen2.feed_forward_length", new long[] {64, 64});
        Path f = g.write(dir.resolve("m.gguf"));
        LoadedCheckpoint r = read(f);
        assertSameConfig(mha, r.config());
        assertSameWeights(wm, r.weights());
    }

    // ---- bad input --------------------------------------------------------------------------

    private GgufWriter writer(ModelConfig c) {
        return RandomCheckpoints.ggufWriter(RandomWeights.of(c, 19), GgufType.F32);
    }

    private static ModelConfig llama() {
        return config(Architecture.LLAMA, false, false, false, null);
    }

    @Test
    void missingTensor() throws IOException {
        Path f = writer(llama()).removeTensor("blk.1.ffn_down.weight").write(dir.resolve("m.gguf"));
        assertFormatError(() -> read(f), "blk.1.ffn_down.weight", "missing", f.toString());
    }

    @Test
    void missingQkNormInLaterLayer() throws IOException {
        Path f = writer(config(Architecture.QWEN3, true, false, true, null))
                .removeTensor("blk.1.attn_k_norm.weight")
                .write(dir.resolve("m.gguf"));
        assertFormatError(() -> read(f), "blk.1.attn_k_norm.weight", "missing");
    }

    @Test
    void shapeDisagreesWithMetadata() throws IOException {
        GgufWriter g = writer(llama());
        g.addFloats("blk.0.attn_k.weight", new long[] {32, 32}, GgufType.F32, new float[32 * 32]);
        Path f = g.write(dir.resolve("m.gguf"));
        assertFormatError(() -> read(f), "blk.0.attn_k.weight", "[32, 32]", "[32, 16]");
    }

    @Test
    void unsupportedArchitecture() throws IOException {
        Path f = writer(llama()).putString("general.architecture", "gemma2").write(dir.resolve("m.gguf"));
        assertFormatError(() -> read(f), "general.architecture", "gemma2", "llama");
    }

    @Test
    void missingArchitecture() throws IOException {
        Path f = writer(llama()).remove("general.architecture").write(dir.resolve("m.gguf"));
        assertFormatError(() -> read(f), "general.architecture", "missing");
    }

    @Test
    void missingRequiredHyperParameter() throws IOException {
        Path f = writer(llama()).remove("llama.block_count").write(dir.resolve("m.gguf"));
        assertFormatError(() -> read(f), "llama.block_count", "missing");
    }

    @Test
    void unsupportedRopeScaling() throws IOException {
        Path f = writer(llama())
                .putString("llama.rope.scaling.type", "yarn")
                .putFloat32("llama.rope.scaling.factor", 4f)
                .write(dir.resolve("m.gguf"));
        assertFormatError(() -> read(f), "llama.rope.scaling.type", "yarn");
    }

    @Test
    void unsupportedTensorTypeInModel() throws IOException {
        GgufWriter g = writer(llama());
        g.addTensor("blk.0.ffn_up.weight", new long[] {32, 64}, GgufType.Q8_1, new byte[40 * 64]);
        Path f = g.write(dir.resolve("m.gguf"));
        assertFormatError(() -> read(f), "blk.0.ffn_up.weight", "Q8_1");
    }

    @Test
    void nanInWeightIsRejectedUnlessCheckFiniteIsOff() throws IOException {
        ModelConfig c = llama();
        ModelWeights w = RandomWeights.of(c, 20);
        w.layers()[0].wUp()[40] = Float.NaN;
        Path f = dir.resolve("m.gguf");
        RandomCheckpoints.writeGguf(f, w, GgufType.F32);
        assertFormatError(() -> read(f), "blk.0.ffn_up.weight", "index 40", "NaN");
        ModelWeights loaded = GgufCheckpointReader.read(f, new LoadOptions(false)).weights();
        assertTrue(Float.isNaN(loaded.layers()[0].wUp()[40]));
    }

    @Test
    void infinityInQuantizedScaleIsRejected() throws IOException {
        // A Q8_0 block whose fp16 scale is +inf expands to infinities and NaN (0 * inf).
        GgufWriter g = writer(llama());
        byte[] data = GgufWriter.encode(GgufType.Q8_0, new float[32 * 64]);
        data[34 * 3] = 0x00;
        data[34 * 3 + 1] = 0x7C;
        g.addTensor("blk.1.ffn_gate.weight", new long[] {32, 64}, GgufType.Q8_0, data);
        Path f = g.write(dir.resolve("m.gguf"));
        assertFormatError(() -> read(f), "blk.1.ffn_gate.weight", "index 96");
    }
}
