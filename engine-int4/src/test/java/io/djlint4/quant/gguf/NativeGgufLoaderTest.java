package io.djlint4.quant.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.checkpoint.CheckpointFormatException;
import io.djlint4.checkpoint.GgufType;
import io.djlint4.checkpoint.GgufWriter;
import io.djlint4.checkpoint.LoadOptions;
import io.djlint4.checkpoint.RandomCheckpoints;
import io.djlint4.model.Architecture;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.ForwardResult;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.model.RandomWeights;
import io.djlint4.quant.NativeBlocks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Whole models run on a GGUF file's own blocks against the same file expanded to floats: with
 * float inputs only the summation order differs; with 8-bit inputs the logits move by about what
 * rounding each input to 8 bits per block of 32 implies.
 */
class NativeGgufLoaderTest {

    private static final long[] PROMPT = {1, 5, 9, 33, 2, 60, 17};

    @TempDir Path dir;

    /** 256-wide rows so every type, K-quants included, stores every matrix in its blocks. */
    private static ModelConfig config(Architecture arch, boolean tied, boolean bias, boolean qkNorm) {
        return new ModelConfig(arch, 256, 512, 2, 4, 2, 64, 67, 1e-5, 10000.0, null, 128, tied, bias, qkNorm, 1,
                new int[] {2});
    }

    /** Logits of every prompt position, then of two decode steps on the cache. */
    private static float[] logits(DecoderModel m) {
        ForwardResult prefill = m.forward(ForwardRequest.of(PROMPT, true));
        ForwardResult step1 = m.forward(ForwardRequest.next(7, prefill.present()));
        ForwardResult step2 = m.forward(ForwardRequest.next(11, step1.present()));
        int a = prefill.logits().length;
        int b = step1.logits().length;
        float[] all = new float[a + 2 * b];
        System.arraycopy(prefill.logits(), 0, all, 0, a);
        System.arraycopy(step1.logits(), 0, all, a, b);
        System.arraycopy(step2.logits(), 0, all, a + b, b);
        return all;
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    private static double maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @ParameterizedTest
    @EnumSource(names = {"Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "IQ4_NL", "Q4_K", "Q5_K", "Q6_K"})
    void floatInputsGiveTheExpandedModelsLogits(GgufType type) throws IOException {
        ModelConfig c = config(Architecture.LLAMA, false, false, false);
        Path f = dir.resolve("m.gguf");
        ModelWeights expanded = RandomCheckpoints.writeGguf(f, RandomWeights.of(c, 31), type);
        float[] reference = logits(DecoderModel.fromWeights(expanded));
        float[] actual = logits(NativeGgufLoader.load(f, LoadOptions.defaults(), NativeBlocks.FLOAT_INPUTS));
        double scale = maxAbs(reference);
        assertTrue(scale > 0.1, "logits are not trivially small: " + scale);
        double diff = maxDiff(reference, actual);
        assertTrue(diff <= 1e-4 * scale, type + ": native logits differ from the expanded model's by " + diff
                + " (largest logit " + scale + ")");
        assertEquals(Map.of(type.name(), 2 * 7 + 2), NativeGgufLoader.quantizedTypes(f));
        assertTrue(NativeGgufLoader.hasQuantizedMatrices(f));
    }

    @ParameterizedTest
    @EnumSource(names = {"Q4_0", "Q4_1", "Q8_0", "Q4_K", "Q6_K"})
    void eightBitInputsStayWithinTheirRounding(GgufType type) throws IOException {
        ModelConfig c = config(Architecture.QWEN2, true, true, false);
        Path f = dir.resolve("m.gguf");
        ModelWeights expanded = RandomCheckpoints.writeGguf(f, RandomWeights.of(c, 32), type);
        float[] reference = logits(DecoderModel.fromWeights(expanded));
        float[] floatInputs = logits(NativeGgufLoader.load(f, LoadOptions.defaults(), NativeBlocks.FLOAT_INPUTS));
        float[] q8 = logits(NativeGgufLoader.load(f, LoadOptions.defaults(), NativeBlocks.Q8_INPUTS));
        double scale = maxAbs(reference);
        double diff = maxDiff(reference, q8);
        // Each input off by at most half a step of max|x|/127 per block: a few tenths of a percent of the logits.
        assertTrue(diff <= 0.03 * scale, type + ": 8-bit inputs moved the logits by " + diff + " of " + scale);
        assertTrue(diff > maxDiff(reference, floatInputs), "8-bit inputs change something");
    }

    @Test
    void qwen3WithQkNormAndAFloatMatrixMixedIn() throws IOException {
        ModelConfig c = config(Architecture.QWEN3, true, false, true);
        ModelWeights w = RandomWeights.of(c, 33);
        GgufWriter g = RandomCheckpoints.ggufWriter(w, GgufType.Q4_0);
        g.addFloats("blk.1.ffn_up.weight", new long[] {256, 512}, GgufType.F16, w.layers()[1].wUp());
        Path f = g.write(dir.resolve("m.gguf"));
        float[] reference = logits(DecoderModel.fromWeights(
                io.djlint4.checkpoint.GgufCheckpointReader.read(f, LoadOptions.defaults()).weights()));
        float[] actual = logits(NativeGgufLoader.load(f, LoadOptions.defaults(), NativeBlocks.FLOAT_INPUTS));
        assertTrue(maxDiff(reference, actual) <= 1e-4 * maxAbs(reference));
        assertEquals(Map.of("Q4_0", 2 * 7), NativeGgufLoader.quantizedTypes(f));
    }

    @ParameterizedTest
    @EnumSource(names = {"FLOAT_INPUTS", "Q8_INPUTS"})
    void aBatchGivesEachSequenceItsLogitsAlone(NativeBlocks inputs) throws IOException {
        Path f = dir.resolve("m.gguf");
        RandomCheckpoints.writeGguf(f, RandomWeights.of(config(Architecture.LLAMA, false, false, false), 37), GgufType.Q4_K);
        DecoderModel m = NativeGgufLoader.load(f, LoadOptions.defaults(), inputs);
        long[] a = {1, 5, 9, 33};
        long[] b = {1, 60, 17, 2};
        long[] both = {1, 5, 9, 33, 1, 60, 17, 2};
        ForwardResult batch = m.forward(new ForwardRequest(2, 4, both, null, null, null, true, null));
        ForwardResult stepBatch = m.forward(new ForwardRequest(2, 1, new long[] {7, 7}, null, null, batch.present(), false, null));
        int vocab = 67;
        float[][] alone = {logitsAlone(m, a), logitsAlone(m, b)};
        for (int s = 0; s < 2; s++) {
            float[] expected = alone[s];
            float[] actual = new float[expected.length];
            System.arraycopy(batch.logits(), s * 4 * vocab, actual, 0, 4 * vocab);
            System.arraycopy(stepBatch.logits(), s * vocab, actual, 4 * vocab, vocab);
            assertArrayEquals(expected, actual, "sequence " + s + ", " + inputs);
        }
    }

    /** Every prompt position's logits, then one decode step's. */
    private static float[] logitsAlone(DecoderModel m, long[] prompt) {
        ForwardResult prefill = m.forward(ForwardRequest.of(prompt, true));
        ForwardResult step = m.forward(ForwardRequest.next(7, prefill.present()));
        float[] all = new float[prefill.logits().length + step.logits().length];
        System.arraycopy(prefill.logits(), 0, all, 0, prefill.logits().length);
        System.arraycopy(step.logits(), 0, all, prefill.logits().length, step.logits().length);
        return all;
    }

    @Test
    void aFloatFileHasNoQuantizedMatrices() throws IOException {
        Path f = dir.resolve("m.gguf");
        RandomCheckpoints.writeGguf(f, config(Architecture.LLAMA, false, false, false), 34);
        assertTrue(!NativeGgufLoader.hasQuantizedMatrices(f));
    }

    @Test
    void anInfiniteScaleIsRefusedNamingTheTensor() throws IOException {
        ModelConfig c = config(Architecture.LLAMA, false, false, false);
        GgufWriter g = RandomCheckpoints.ggufWriter(RandomWeights.of(c, 35), GgufType.Q8_0);
        byte[] data = g.tensor("blk.1.ffn_gate.weight").data().clone();
        data[34 * 5] = 0x00;
        data[34 * 5 + 1] = 0x7C; // fp16 +inf as the sixth block's scale
        g.addTensor("blk.1.ffn_gate.weight", new long[] {256, 512}, GgufType.Q8_0, data);
        Path f = g.write(dir.resolve("m.gguf"));
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> NativeGgufLoader.load(f, LoadOptions.defaults(), NativeBlocks.FLOAT_INPUTS));
        assertTrue(e.getMessage().contains("blk.1.ffn_gate.weight"), e.getMessage());
        assertTrue(e.getMessage().contains("not finite"), e.getMessage());
        NativeGgufLoader.load(f, new LoadOptions(false), NativeBlocks.FLOAT_INPUTS);
    }

    @Test
    void aTypeThatDoesNotRunNativelyIsNamed() throws IOException {
        ModelConfig c = config(Architecture.LLAMA, false, false, false);
        GgufWriter g = RandomCheckpoints.ggufWriter(RandomWeights.of(c, 36), GgufType.Q4_0);
        g.addTensor("blk.0.ffn_down.weight", new long[] {512, 256}, GgufType.Q2_K, new byte[84 * 2 * 256]);
        Path f = g.write(dir.resolve("m.gguf"));
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> NativeGgufLoader.load(f, LoadOptions.defaults(), NativeBlocks.FLOAT_INPUTS));
        assertTrue(e.getMessage().contains("blk.0.ffn_down.weight") && e.getMessage().contains("Q2_K"), e.getMessage());
    }
}
