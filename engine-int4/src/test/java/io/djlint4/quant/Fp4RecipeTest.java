package io.djlint4.quant;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.checkpoint.Llama2cCheckpointReader;
import io.djlint4.eval.TextEvaluator;
import io.djlint4.kernels.Fp4Format;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ModelWeights;
import io.djlint4.quant.calib.CalibrationSet;
import io.djlint4.quant.fp4.Fp4Settings;
import io.djlint4.testing.SharedFiles;
import io.djlint4.testing.StoriesReference;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * LLM-FP4 on the outlier model: the searched FP4 recipe, classifier included, stays much closer to
 * full precision than plain W4A4 (per-token INT4 activations, RTN per-channel INT4 weights), as
 * the paper reports FPQ far above MinMax INT W4A4; with {@code kv4} the cache is rounded too (the
 * project's per-token INT4 cache: LLM-FP4 itself keeps the cache in full precision, §5.3).
 */
class Fp4RecipeTest {

    /** A shorter search than the paper's (20 candidates, 1 round, 64 tokens) to keep the test fast. */
    private static final Fp4Settings FAST = new Fp4Settings(Fp4Format.E2M1, 20, 0.01, 1.2, 1, 64);

    @Test
    void fp4BeatsW4a4OnTheOutlierModel() {
        ModelWeights w = OutlierModel.weights(3);
        DecoderModel fp = DecoderModel.fromWeights(w);
        List<long[]> windows = OutlierModel.windows(4, 64, 5);
        CalibrationSet calibration = new CalibrationSet(OutlierModel.windows(1, 128, 17));
        ModelQuantizer q = new ModelQuantizer(RecipeSettings.DEFAULT, FAST);
        double fp4 = kl(q.quantize(w, QuantRecipe.parse("fp4"), calibration), fp, windows);
        double w4a4 = kl(q.quantize(w, QuantRecipe.parse("w4a4"), calibration), fp, windows);
        System.out.printf("outlier model KL vs fp32: fp4 %.5f, w4a4 %.5f%n", fp4, w4a4);
        // Measured 0.123 against 0.213: the per-tensor activation bias cannot follow the 50x channels
        // (k_j stops at 2^E - 1 = 3, an 8x range), so the gain is real but well short of rotation's.
        assertTrue(fp4 < 0.75 * w4a4, "fp4 KL " + fp4 + ", w4a4 KL " + w4a4);
    }

    @Test
    void fp4WithKv4RoundsTheCacheOnTheOutlierModel() {
        ModelWeights w = OutlierModel.weights(3);
        assertKv4RoundsTheCache(
                w, new CalibrationSet(OutlierModel.windows(1, 128, 17)), OutlierModel.windows(4, 64, 5), "outlier model");
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

    /** The cache is really rounded (KL moves), stays finite, and costs less than the FP4 linears themselves. */
    private static void assertKv4RoundsTheCache(
            ModelWeights w, CalibrationSet calibration, List<long[]> windows, String model) {
        DecoderModel fp = DecoderModel.fromWeights(w);
        ModelQuantizer q = new ModelQuantizer(RecipeSettings.DEFAULT, FAST);
        double fp4 = kl(q.quantize(w, QuantRecipe.parse("fp4"), calibration), fp, windows);
        double fp4Kv4 = kl(q.quantize(w, QuantRecipe.parse("fp4+kv4"), calibration), fp, windows);
        double kv4 = kl(q.quantize(w, QuantRecipe.parse("fp32+kv4")), fp, windows);
        System.out.printf("%s KL vs fp32: fp4 %.5f, fp4+kv4 %.5f, fp32+kv4 %.5f%n", model, fp4, fp4Kv4, kv4);
        assertTrue(Double.isFinite(fp4Kv4) && fp4Kv4 != fp4, "fp4 " + fp4 + ", fp4+kv4 " + fp4Kv4);
        assertTrue(kv4 < fp4, "the INT4 cache alone (" + kv4 + ") should cost less than FP4 linears (" + fp4 + ")");
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
