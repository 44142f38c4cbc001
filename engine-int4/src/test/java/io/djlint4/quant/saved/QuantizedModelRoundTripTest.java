package io.djlint4.quant.saved;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.checkpoint.CheckpointLoader;
import io.djlint4.checkpoint.LoadedCheckpoint;
import io.djlint4.checkpoint.RandomCheckpoints;
import io.djlint4.model.Architecture;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.model.RandomWeights;
import io.djlint4.quant.ModelQuantizer;
import io.djlint4.quant.QuantRecipe;
import io.djlint4.quant.QuantizationResult;
import io.djlint4.quant.RecipeSettings;
import io.djlint4.quant.calib.CalibrationSet;
import io.djlint4.quant.calib.WeightOutlierModel;
import io.djlint4.quant.weight.GroupLayout;
import io.djlint4.testing.SharedFiles;
import io.djlint4.testing.StoriesReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Save, then load: the loaded model computes the quantized model's logits bit for bit. */
class QuantizedModelRoundTripTest {

    /** A small Llama whose widths have Hadamard rotations, with q/k/v biases and q/k norms. */
    private static final ModelConfig SMALL = new ModelConfig(
            Architecture.QWEN3, 128, 256, 2, 4, 2, 32, 97, 1e-5, 1e4, null, 256, false, false, true, 1, new int[] {2});

    private static final long[] TOKENS = {1, 5, 17, 42, 3, 88, 9, 60, 61, 2, 33, 70};

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {
        "fp32", "w4a16", "w4a8", "w4a4", "w3a3", "w4a4+rot", "w4a4+rs", "w4a4+rrs+kv4", "w4a4+dfrot",
        "w4a4+rrs+gptq", "w4a16+kv4", "w4a4+dfrot+gptq+kv4", "w4a8+g32", "w4a8+g32+gptq", "w4a4+g64+rrs",
        "w4a16+pc", "w3a16+g32+gptq",
        "w4a4+rot+asym", "w4a8+asym", "w4a4+rrs+asym+kv4", "w4a4+dfrot+gptq+asym", "w4a8+g32+asym",
        "w4a8+g128+gptq+wasym", "w4a4+rot+auto", "w4a4+rrs+gptq+asym+auto",
        "w4a16+g32+dq", "w3a16+dq", "w4a8+g32+dq", "w4a4+g64+rot+dq",
        "w4a16+g32+gptq+dq", "w4a4+g32+rot+gptq+dq", "w4a4+g32+rot+gptq+wasym+asym+ag32", "w4a4+g32+rot+asym+ag32+dq",
        "w4a16+g128+auto+dq"
    })
    void randomModelRoundTripsBitForBit(String recipe) throws IOException {
        ModelWeights w = RandomWeights.of(SMALL, 5);
        QuantizationResult r = quantizer().apply(w, QuantRecipe.parse(recipe), calibration(SMALL));
        SavedQuantizedModel loaded = saveAndLoad(r, checkpointOf(w), List.of());
        assertEquals(QuantRecipe.parse(recipe), loaded.recipe());
        assertSameLogits(r.model(), loaded.model());
    }

    @Test
    void theHeaderNamesTheGroupTokenAndEveryGridItsGroups() throws IOException {
        ModelWeights w = RandomWeights.of(SMALL, 6);
        QuantizationResult r = quantizer().apply(w, QuantRecipe.parse("gptq+g32+w4a8"), calibration(SMALL));
        SavedQuantizedModel loaded = saveAndLoad(r, checkpointOf(w), List.of());
        assertEquals("w4a8+g32+gptq", loaded.header().recipe());
        assertTrue(loaded.header().linears().stream().allMatch(e -> e.groupSize() == 32 && e.symmetric()
                && e.layout() == GroupLayout.PER_OUTPUT_CHANNEL), loaded.header().linears()::toString);
        assertEquals(r.model().linearFootprint(), loaded.model().linearFootprint());
        assertEquals(5.0, loaded.model().linearFootprint().bitsPerWeight(), 1e-12);
        assertSameLogits(r.model(), loaded.model());
    }

    @Test
    void perInputChannelLayoutsRoundTrip() throws IOException {
        ModelWeights w = WeightOutlierModel.weights(7);
        QuantizationResult r =
                quantizer().apply(w, QuantRecipe.parse("w3a16+gptq+adadim"), calibration(WeightOutlierModel.CONFIG));
        SavedQuantizedModel loaded = saveAndLoad(r, checkpointOf(w), List.of());
        assertTrue(loaded.header().linears().stream().anyMatch(e -> e.layout() == GroupLayout.PER_INPUT_CHANNEL),
                "AdaDim chose no per-IC layout, so this test would not cover it");
        assertTrue(loaded.header().linears().stream().allMatch(e -> e.bits() == 3));
        assertSameLogits(r.model(), loaded.model());
    }

    @Test
    void tiedEmbeddingsStayTiedAndNothingDequantizedIsStored() throws IOException {
        ModelConfig tied = new ModelConfig(
                Architecture.LLAMA, 64, 128, 1, 2, 2, 32, 97, 1e-5, 1e4, null, 64, true, true, false, 1, new int[] {2});
        ModelWeights w = RandomWeights.of(tied, 3);
        QuantizationResult r = quantizer().apply(w, QuantRecipe.parse("w4a4"), null);
        SavedQuantizedModel loaded = saveAndLoad(r, checkpointOf(w), List.of());
        assertTrue(loaded.header().tiedEmbeddings());
        Map<String, QuantizedModelHeader.TensorEntry> tensors = loaded.header().tensors();
        assertFalse(tensors.containsKey(TensorNames.LM_HEAD));
        assertFalse(tensors.keySet().stream().anyMatch(n -> n.endsWith("_proj" + TensorNames.WEIGHT)), tensors.keySet()::toString);
        assertEquals("U8", tensors.get("model.layers.0.self_attn.q_proj.codes").dtype());
        assertArrayEquals(new long[] {64 * 64 / 2}, tensors.get("model.layers.0.self_attn.q_proj.codes").shape());
        assertNotNull(tensors.get("model.layers.0.self_attn.q_proj.bias"));
        assertSameLogits(r.model(), loaded.model());
    }

    @ParameterizedTest
    @ValueSource(strings = {"w4a4+rrs", "w4a16+gptq+kv4", "w4a4+rot+asym"})
    void storiesRoundTripsBitForBitWithItsTokenizer(String recipe) throws IOException {
        Path bin = SharedFiles.require(StoriesReference.CHECKPOINT);
        Path tokenizer = bin.resolveSibling("tok512.bin");
        LoadedCheckpoint base = CheckpointLoader.load(bin);
        QuantizationResult r = quantizer().apply(base.weights(), QuantRecipe.parse(recipe), calibration(base.config()));
        SavedQuantizedModel loaded = saveAndLoad(r, base, List.of(tokenizer));
        assertSameLogits(r.model(), loaded.model());
        assertEquals(List.of("tok512.bin"), loaded.header().tokenizerFiles());
        assertArrayEquals(Files.readAllBytes(tokenizer), Files.readAllBytes(tmp.resolve("saved/tok512.bin")));
        assertEquals("llama2.c", loaded.header().base().format());
        loaded.requireBase(base.config());
        long fp32Bytes = Files.size(bin);
        long saved = Files.size(tmp.resolve("saved").resolve(QuantizedModelWriter.TENSORS_FILE));
        // Embedding and classifier stay F32 (tied in stories260K, stored once): 4-bit layers shrink the rest.
        assertTrue(saved < fp32Bytes, saved + " vs " + fp32Bytes);
    }

    @Test
    void ggufBaseTokenizerIsCopiedAndTheBaseIsNeverReadAgain() throws IOException {
        Path gguf = tmp.resolve("base.gguf");
        RandomCheckpoints.writeGguf(gguf, SMALL, 9);
        LoadedCheckpoint base = CheckpointLoader.load(gguf);
        QuantizationResult r = quantizer().apply(base.weights(), QuantRecipe.parse("w4a4+rot"), null);
        SavedQuantizedModel loaded = saveAndLoad(r, base, List.of());
        assertEquals("gguf", loaded.header().base().format());
        assertEquals("base.gguf", loaded.header().base().name());
        assertEquals(64, loaded.header().base().sha256().length());
        String header = Files.readString(tmp.resolve("saved").resolve(QuantizedModelHeader.FILE_NAME));
        assertFalse(header.contains(tmp.toString()), "the header records no path of this machine");
        assertSameLogits(r.model(), loaded.model());
        Files.delete(gguf);
        Map<String, Object> metadata = QuantizedModelReader.read(tmp.resolve("saved")).checkpoint().metadata();
        assertEquals(base.metadata().get("tokenizer.ggml.model"), metadata.get("tokenizer.ggml.model"));
        String[] tokens = (String[]) base.metadata().get("tokenizer.ggml.tokens");
        assertEquals(List.of(tokens), metadata.get("tokenizer.ggml.tokens"));
        float[] scores = (float[]) base.metadata().get("tokenizer.ggml.scores");
        List<?> copied = (List<?>) metadata.get("tokenizer.ggml.scores");
        for (int i = 0; i < scores.length; i++) {
            assertEquals(scores[i], ((Number) copied.get(i)).floatValue(), "score " + i);
        }
        assertFalse(metadata.containsKey("general.architecture"));
    }

    private static ModelQuantizer quantizer() {
        return new ModelQuantizer(RecipeSettings.DEFAULT.withDfrotIterations(2));
    }

    private static CalibrationSet calibration(ModelConfig c) {
        return CalibrationSet.random(c.vocabSize(), 4, 32, 11);
    }

    static LoadedCheckpoint checkpointOf(ModelWeights w) {
        return new LoadedCheckpoint(w.config(), w, Map.of(), Path.of("random-base.bin"));
    }

    private SavedQuantizedModel saveAndLoad(QuantizationResult r, LoadedCheckpoint base, List<Path> files)
            throws IOException {
        Path dir = tmp.resolve("saved");
        long bytes = new QuantizedModelWriter(true).write(r.contents(), base, files, dir);
        assertTrue(bytes > 0);
        assertTrue(QuantizedModelReader.isSavedModel(dir));
        return QuantizedModelReader.read(dir);
    }

    static void assertSameLogits(DecoderModel expected, DecoderModel actual) {
        float[] a = expected.forward(ForwardRequest.of(TOKENS, true)).logits();
        float[] b = actual.forward(ForwardRequest.of(TOKENS, true)).logits();
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                throw new AssertionError("logit " + i + " differs: " + a[i] + " vs " + b[i]);
            }
        }
    }
}
