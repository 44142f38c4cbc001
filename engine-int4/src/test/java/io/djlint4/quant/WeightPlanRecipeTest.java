package io.djlint4.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.checkpoint.Llama2cCheckpointReader;
import io.djlint4.eval.TextEvaluator;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.LinearKind;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.quant.calib.CalibrationSet;
import io.djlint4.quant.weight.DoubleQuantizedWeights;
import io.djlint4.quant.weight.QuantizedMatrix;
import io.djlint4.testing.SharedFiles;
import io.djlint4.testing.StoriesReference;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The recipe token {@code auto} on {@code w4a16+dq}: under a budget of the uniform recipe's own
 * bits the plan is never worse than that recipe (KL from full precision on windows other than the
 * calibration sequences), the budget is kept to the bit, a larger budget buys accuracy, and the
 * same calibration gives the same plan and model.
 */
class WeightPlanRecipeTest {

    private static ModelWeights stories;
    private static CalibrationSet storiesCalib;
    private static List<long[]> storiesWindows;

    @BeforeAll
    static void load() throws Exception {
        stories = Llama2cCheckpointReader.read(SharedFiles.require(StoriesReference.CHECKPOINT), true);
        storiesCalib = CalibrationSet.random(stories.config().vocabSize(), 8, 128, 31);
        storiesWindows = CalibrationSet.random(stories.config().vocabSize(), 4, 128, 32).sequences();
    }

    @Test
    void atTheUniformRecipesBitsThePlanIsNeverWorse() {
        ModelWeights outlier = OutlierModel.weights(3);
        CalibrationSet outlierCalib = CalibrationSet.random(outlier.config().vocabSize(), 8, 64, 33);
        List<long[]> outlierWindows = CalibrationSet.random(outlier.config().vocabSize(), 4, 64, 34).sequences();
        for (String start : new String[] {"w4a16+g32+dq", "w4a16+g64+dq"}) {
            assertNeverWorse(outlier, outlierCalib, outlierWindows, start);
            assertNeverWorse(stories, storiesCalib, storiesWindows, start);
        }
    }

    private static void assertNeverWorse(ModelWeights w, CalibrationSet calib, List<long[]> windows, String start) {
        QuantizationResult uniform = new ModelQuantizer(RecipeSettings.DEFAULT).apply(w, QuantRecipe.parse(start), null);
        double budget = (double) projectionBits(uniform) / projectionWeights(w.config());
        QuantizationResult planned = new ModelQuantizer(RecipeSettings.DEFAULT.withWeightBudget(budget))
                .apply(w, QuantRecipe.parse(start + "+auto"), calib);
        assertTrue(projectionBits(planned) <= projectionBits(uniform), start);
        DecoderModel fp = DecoderModel.fromWeights(w);
        double klUniform = new TextEvaluator(uniform.model(), fp).evaluate(windows, i -> {}).klVsReference();
        double klPlanned = new TextEvaluator(planned.model(), fp).evaluate(windows, i -> {}).klVsReference();
        assertTrue(klPlanned <= klUniform * 1.0001, start + ": planned " + klPlanned + ", uniform " + klUniform);
    }

    @Test
    void theBudgetIsKeptToTheBitAndTheModelRunsThePlan() {
        double budget = 4.95;
        QuantizationResult r = new ModelQuantizer(RecipeSettings.DEFAULT.withWeightBudget(budget))
                .apply(stories, QuantRecipe.parse("w4a16+g32+dq+auto"), storiesCalib);
        WeightPlan plan = r.contents().weightPlan();
        assertNotNull(plan);
        assertNull(r.contents().activationPlan());
        long weights = projectionWeights(stories.config());
        assertTrue(plan.totalBits() <= Math.floor(budget * weights), plan.totalBits() + " bits for " + weights);
        assertEquals(plan.totalBits(), projectionBits(r));
        boolean mixed = false;
        for (WeightPlan.PlannedWeight p : plan.weights()) {
            QuantizedMatrix m = r.contents().linears().get(p.layer(), p.kind());
            assertEquals(p.groupSize(), ((DoubleQuantizedWeights) m).groupSize(), p.toString());
            assertEquals(p.bits(), m.storedBits(), p.toString());
            mixed |= p.groupSize() != plan.weights().get(0).groupSize();
        }
        assertTrue(mixed, "the plan should mix group sizes at this budget: " + plan.weights());
        assertEquals(plan.totalBits() / (double) weights, r.model().linearFootprint().bitsPerWeight(), 1e-9);
    }

    @Test
    void aLargerBudgetBuysAccuracy() {
        QuantizationResult uniform =
                new ModelQuantizer(RecipeSettings.DEFAULT).apply(stories, QuantRecipe.parse("w4a16+g32+dq"), null);
        QuantizationResult planned = new ModelQuantizer(RecipeSettings.DEFAULT.withWeightBudget(5.0))
                .apply(stories, QuantRecipe.parse("w4a16+g32+dq+auto"), storiesCalib);
        DecoderModel fp = DecoderModel.fromWeights(stories);
        double klUniform = new TextEvaluator(uniform.model(), fp).evaluate(storiesWindows, i -> {}).klVsReference();
        double klPlanned = new TextEvaluator(planned.model(), fp).evaluate(storiesWindows, i -> {}).klVsReference();
        assertTrue(klPlanned < 0.95 * klUniform, "planned " + klPlanned + ", uniform " + klUniform);
    }

    @Test
    void theSameCalibrationGivesTheSamePlanAndModel() {
        ModelQuantizer q = new ModelQuantizer(RecipeSettings.DEFAULT.withWeightBudget(4.95));
        QuantizationResult first = q.apply(stories, QuantRecipe.parse("w4a16+g32+dq+auto"), storiesCalib);
        QuantizationResult again = q.apply(stories, QuantRecipe.parse("w4a16+g32+dq+auto"), storiesCalib);
        assertEquals(first.contents().weightPlan(), again.contents().weightPlan());
        long[] prompt = {1, 403, 407, 261, 378};
        assertArrayEquals(first.model().forward(ForwardRequest.of(prompt, true)).logits(),
                again.model().forward(ForwardRequest.of(prompt, true)).logits());
    }

    @Test
    void aBudgetBelowTheCoarsestGroupsIsRefusedWithTheFigures() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ModelQuantizer(RecipeSettings.DEFAULT.withWeightBudget(4.0))
                        .apply(stories, QuantRecipe.parse("w4a16+g32+dq+auto"), storiesCalib));
        assertTrue(e.getMessage().contains("4.000 bits per weight") && e.getMessage().contains("g128"),
                e.getMessage());
    }

    private static long projectionBits(QuantizationResult r) {
        long bits = 0;
        ModelConfig c = r.contents().weights().config();
        for (int l = 0; l < c.numLayers(); l++) {
            for (LinearKind kind : LinearKind.values()) {
                bits += r.contents().linears().get(l, kind).storedBits();
            }
        }
        return bits;
    }

    private static long projectionWeights(ModelConfig c) {
        long n = 0;
        for (LinearKind kind : LinearKind.values()) {
            n += (long) kind.outFeatures(c) * kind.inFeatures(c);
        }
        return n * c.numLayers();
    }
}
