package io.djlint4.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.checkpoint.CheckpointLoader;
import io.djlint4.checkpoint.LoadOptions;
import io.djlint4.checkpoint.LoadedCheckpoint;
import io.djlint4.kernels.Fp4Format;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.ForwardResult;
import io.djlint4.model.ModelWeights;
import io.djlint4.quant.calib.CalibrationSet;
import io.djlint4.quant.fp4.Fp4Settings;
import io.djlint4.quant.saved.QuantizedModelHeader;
import io.djlint4.quant.saved.QuantizedModelReader;
import io.djlint4.quant.saved.QuantizedModelWriter;
import io.djlint4.quant.saved.SavedQuantizedModel;
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

/**
 * LLM-FP4 and RPTQ models saved and read back without calibration compute the freshly quantized
 * model's logits bit for bit, and decode the same greedy tokens through the (rounded) cache.
 */
class Fp4RptqRoundTripTest {


    /** A short bias search that still chooses among the three formats, so layers differ in format. */
    private static final Fp4Settings QUICK_FP4 =
            new Fp4Settings(Fp4Format.E2M1, 8, 0.01, 1.2, 1, 32).withFormats(List.of(Fp4Format.values()));

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"fp4", "fp4+kv4", "w4a4+rptq", "w4a4+rptq+kv4", "w4a4+rptq+gptq", "w3a3+rptq+gptq+kv4"})
    void outlierModelRoundTripsBitForBit(String recipe) throws IOException {
        ModelWeights w = OutlierModel.weights(5);
        CalibrationSet calibration = new CalibrationSet(OutlierModel.windows(3, 24, 11));
        long[] prompt = OutlierModel.windows(1, 10, 7).get(0);
        roundTrip(w, recipe, calibration, new LoadedCheckpoint(w.config(), w, Map.of(), Path.of("outlier.bin")), prompt);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fp4", "fp4+kv4", "w4a4+rptq", "w4a4+rptq+kv4", "w4a4+rptq+gptq"})
    void storiesRoundTripsBitForBit(String recipe) throws IOException {
        LoadedCheckpoint base = CheckpointLoader.load(SharedFiles.require(StoriesReference.CHECKPOINT));
        StoriesReference ref = StoriesReference.load();
        CalibrationSet calibration = CalibrationSet.sample(ref.ids("greedy_from_bos_100"), 4, 32, 0);
        long[] prompt = java.util.Arrays.copyOf(ref.ids("sample_text"), 12);
        SavedQuantizedModel loaded = roundTrip(base.weights(), recipe, calibration, base, prompt);
        if (recipe.startsWith("fp4")) {
            // RPTQ is left out: at stories260K's width 64, 32 clusters leave two channels per grid.
            long fp32Bytes = Files.size(base.source());
            long saved = Files.size(tmp.resolve("saved").resolve(QuantizedModelWriter.TENSORS_FILE));
            assertTrue(saved < fp32Bytes, saved + " vs " + fp32Bytes);
        }
        assertEquals(recipe, loaded.recipe().toString());
    }

    private SavedQuantizedModel roundTrip(
            ModelWeights w, String recipe, CalibrationSet calibration, LoadedCheckpoint base, long[] prompt)
            throws IOException {
        QuantizationResult fresh = new ModelQuantizer(RecipeSettings.DEFAULT, QUICK_FP4)
                .apply(w, QuantRecipe.parse(recipe), calibration);
        assertNotNull(fresh.contents(), recipe + " has nothing to save");
        Path dir = tmp.resolve("saved");
        new QuantizedModelWriter(true).write(fresh.contents(), base, List.of(), dir);
        SavedQuantizedModel loaded = QuantizedModelReader.read(dir);
        QuantizedModelHeader h = loaded.header();
        boolean fp4 = recipe.startsWith("fp4");
        assertEquals(fp4, h.fp4Linears() != null);
        assertEquals(!fp4, h.rptq() != null);
        assertTrue(h.linears().isEmpty());
        if (fp4) {
            assertEquals(7 * w.config().numLayers() + 1, h.fp4Linears().size());
            assertEquals(fresh.fp4Formats().get(fresh.fp4Formats().size() - 1).weights().name(),
                    h.fp4Linears().get(h.fp4Linears().size() - 1).weightFormat());
        } else {
            assertEquals(recipe.contains("kv4") ? 4 : 0, h.rptq().kvBits());
            assertNull(h.tensors().get("model.layers.0.self_attn.q_proj.weight"), "no float projection is stored");
        }
        assertSameLogits(fresh.model(), loaded.model(), prompt);
        assertArrayEquals(greedy(fresh.model(), prompt, 8), greedy(loaded.model(), prompt, 8));
        // The directory read simulated is the simulated build of the fresh contents.
        assertSameLogits(ModelQuantizer.build(fresh.contents(), Execution.SIMULATED),
                QuantizedModelReader.read(dir, LoadOptions.defaults(), Execution.SIMULATED).model(), prompt);
        return loaded;
    }

    private static void assertSameLogits(DecoderModel expected, DecoderModel actual, long[] tokens) {
        float[] a = expected.forward(ForwardRequest.of(tokens, true)).logits();
        float[] b = actual.forward(ForwardRequest.of(tokens, true)).logits();
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                throw new AssertionError("logit " + i + " differs: " + a[i] + " vs " + b[i]);
            }
        }
    }

    /** Prefill, then one token at a time through the cache, always the most likely token. */
    private static long[] greedy(DecoderModel m, long[] prompt, int count) {
        long[] out = new long[count];
        ForwardResult r = m.forward(ForwardRequest.of(prompt, false));
        for (int i = 0; i < count; i++) {
            out[i] = argmax(r.logits());
            r = m.forward(ForwardRequest.next(out[i], r.present()));
        }
        return out;
    }

    private static long argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
