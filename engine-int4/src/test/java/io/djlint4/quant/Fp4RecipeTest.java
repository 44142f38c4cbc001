package io.djlint4.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.checkpoint.Llama2cCheckpointReader;
import io.djlint4.eval.TextEvaluator;
import io.djlint4.kernels.Fp4Format;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.LinearKind;
import io.djlint4.model.ModelWeights;
import io.djlint4.quant.calib.CalibrationSet;
import io.djlint4.quant.fp4.Fp4FormatChoice;
import io.djlint4.quant.fp4.Fp4Settings;
import io.djlint4.testing.SharedFiles;
import io.djlint4.testing.StoriesReference;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LLM-FP4 on the outlier model: the searched FP4 recipe, classifier included, stays much closer to
 * full precision than plain W4A4 (per-token INT4 activations, RTN per-channel INT4 weights), as
 * the paper reports FPQ far above MinMax INT W4A4; the per-layer format search is reported for
 * every linear and beats E2M1 alone; with {@code kv4} the cache is rounded too (the project's
 * per-token INT4 cache: LLM-FP4 itself keeps the cache in full precision, §5.3).
 */
class Fp4RecipeTest {

    /** A shorter search than the paper's (20 candidates, 1 round, 64 tokens), E2M1 only, to keep the test fast. */
    private static final Fp4Settings FAST = new Fp4Settings(Fp4Format.E2M1, 20, 0.01, 1.2, 1, 64);

    /** The same short search choosing among the three formats. */
    private static final Fp4Settings FAST_FORMATS = FAST.withFormats(List.of(Fp4Format.values()));

    /** A minimal search, for tests about the cache rather than the search. */
    private static final Fp4Settings TINY = new Fp4Settings(Fp4Format.E2M1, 4, 0.6, 1.2, 1, 32);

    private static final Map<String, Double> KL = new LinkedHashMap<>();
    private static List<Fp4FormatChoice> formats;
    private static ModelWeights weights;

    @BeforeAll
    static void evaluate() {
        weights = OutlierModel.weights(3);
        DecoderModel fp = DecoderModel.fromWeights(weights);
        List<long[]> windows = OutlierModel.windows(4, 64, 5);
        CalibrationSet calibration = new CalibrationSet(OutlierModel.windows(1, 128, 17));
        ModelQuantizer fast = new ModelQuantizer(RecipeSettings.DEFAULT, FAST);
        KL.put("fp4 E2M1", kl(fast.quantize(weights, QuantRecipe.parse("fp4"), calibration), fp, windows));
        KL.put("w4a4", kl(fast.quantize(weights, QuantRecipe.parse("w4a4"), calibration), fp, windows));
        QuantizationResult searched =
                new ModelQuantizer(RecipeSettings.DEFAULT, FAST_FORMATS).apply(weights, QuantRecipe.parse("fp4"), calibration);
        formats = searched.fp4Formats();
        KL.put("fp4", kl(searched.model(), fp, windows));
        DecoderModel simulated = new ModelQuantizer(RecipeSettings.DEFAULT, FAST_FORMATS)
                .withExecution(Execution.SIMULATED)
                .quantize(weights, QuantRecipe.parse("fp4"), calibration);
        KL.put("fp4 simulated", kl(simulated, fp, windows));
        KL.put("fp4 packed vs simulated", kl(searched.model(), simulated, windows));
        System.out.println("outlier model KL vs fp32 " + KL + "; FP4 formats " + formats);
    }

    @Test
    void fp4BeatsW4a4OnTheOutlierModel() {
        // Measured 0.123 against 0.213 with E2M1 alone: the per-tensor activation bias cannot follow the
        // 50x channels (k_j stops at 2^E - 1 = 3, an 8x range), so the gain is real but well short of
        // rotation's.
        assertTrue(KL.get("fp4 E2M1") < 0.75 * KL.get("w4a4"), KL.toString());
        assertTrue(KL.get("fp4") < 0.5 * KL.get("w4a4"), KL.toString());
    }

    @Test
    void formatSearchReportsEveryLinearAndBeatsE2m1Alone() {
        assertEquals(weights.config().numLayers() * LinearKind.values().length + 1, formats.size());
        assertEquals("layers.0.q_proj", formats.get(0).module());
        assertEquals("lm_head", formats.get(formats.size() - 1).module());
        // Measured 0.071 against 0.123: the random Gaussian weights take E1M2, and the o_proj inputs,
        // whose 50x value channel spreads the range over more binades, take E3M0.
        assertTrue(KL.get("fp4") < 0.8 * KL.get("fp4 E2M1"), KL.toString());
        for (int l = 0; l < weights.config().numLayers(); l++) {
            String oProj = "layers." + l + ".o_proj";
            assertTrue(
                    formats.stream().anyMatch(f -> f.module().equals(oProj) && f.inputs() == Fp4Format.E3M0),
                    formats.toString());
        }
    }

    @Test
    void packedFp4ModelStaysCloseToTheSimulatedOne() {
        assertTrue(ModelQuantizer.runsPacked(QuantRecipe.parse("fp4+kv4")));
        // Calibrated and run on the FP4 kernels or in float, the models differ only by summation order,
        // which can still tip a bias search: far less than either differs from full precision.
        assertTrue(Math.abs(KL.get("fp4 packed vs simulated")) < 0.05 * KL.get("fp4 simulated"), KL.toString());
    }

    @Test
    void fp4WithKv4RoundsTheCacheOnTheOutlierModel() {
        assertKv4RoundsTheCache(
                weights, new CalibrationSet(OutlierModel.windows(1, 64, 17)), OutlierModel.windows(2, 64, 5), "outlier model");
    }

    @Test
    void fp4WithKv4RoundsTheCacheOnStories260K() throws IOException {
        StoriesReference ref = StoriesReference.load();
        ModelWeights w = Llama2cCheckpointReader.read(SharedFiles.require(StoriesReference.CHECKPOINT), true);
        CalibrationSet calibration = CalibrationSet.sample(ref.ids("greedy_from_bos_100"), 2, 64, 0);
        long[] test = ref.ids("wikitext2_test_first256");
        List<long[]> windows = List.of(Arrays.copyOfRange(test, 0, 128), Arrays.copyOfRange(test, 128, 256));
        assertKv4RoundsTheCache(w, calibration, windows, "stories260K");
    }

    /** The cache is really rounded (KL moves) and the result stays finite. */
    private static void assertKv4RoundsTheCache(
            ModelWeights w, CalibrationSet calibration, List<long[]> windows, String model) {
        DecoderModel fp = DecoderModel.fromWeights(w);
        ModelQuantizer q = new ModelQuantizer(RecipeSettings.DEFAULT, TINY);
        double fp4 = kl(q.quantize(w, QuantRecipe.parse("fp4"), calibration), fp, windows);
        double fp4Kv4 = kl(q.quantize(w, QuantRecipe.parse("fp4+kv4"), calibration), fp, windows);
        System.out.printf("%s KL vs fp32 (minimal search): fp4 %.5f, fp4+kv4 %.5f%n", model, fp4, fp4Kv4);
        assertTrue(Double.isFinite(fp4Kv4) && fp4Kv4 != fp4, "fp4 " + fp4 + ", fp4+kv4 " + fp4Kv4);
    }

    @Test
    void fp4NeedsCalibration() {
        QuantRecipe fp4 = QuantRecipe.parse("fp4");
        assertTrue(fp4.needsCalibration());
        assertThrows(
                IllegalArgumentException.class,
                () -> new ModelQuantizer(RecipeSettings.DEFAULT).quantize(OutlierModel.weights(3), fp4));
    }

    private static double kl(DecoderModel model, DecoderModel reference, List<long[]> windows) {
        return new TextEvaluator(model, reference).evaluate(windows, i -> {}).klVsReference();
    }
}
