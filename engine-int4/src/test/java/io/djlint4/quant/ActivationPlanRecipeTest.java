package io.djlint4.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.checkpoint.Llama2cCheckpointReader;
import io.djlint4.eval.TextEvaluator;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.LinearKind;
import io.djlint4.model.ModelWeights;
import io.djlint4.quant.calib.ActivationPlanner;
import io.djlint4.quant.calib.CalibrationSet;
import io.djlint4.testing.SharedFiles;
import io.djlint4.testing.StoriesReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The recipe token {@code auto} end to end: on the synthetic outlier model and on stories260K the
 * planned model is never worse than the uniform W4A4 recipe it starts from (KL from full
 * precision, on windows other than the calibration sequences the plan was checked on), at most
 * {@link ActivationPlanner#WIDE_SHARE} of the projections read 8-bit inputs, and the same
 * calibration gives the same plan and the same model.
 */
class ActivationPlanRecipeTest {

    private static final Map<String, Double> KL = new LinkedHashMap<>();
    private static final Map<String, QuantizationResult> RESULTS = new LinkedHashMap<>();
    private static ModelWeights stories;
    private static CalibrationSet storiesCalib;

    @BeforeAll
    static void evaluate() throws Exception {
        ModelQuantizer q = new ModelQuantizer(RecipeSettings.DEFAULT);
        ModelWeights outlier = OutlierModel.weights(3);
        measure(q, "outlier", outlier, CalibrationSet.random(outlier.config().vocabSize(), 8, 64, 21),
                CalibrationSet.random(outlier.config().vocabSize(), 4, 64, 22).sequences(),
                "w4a4", "w4a4+auto", "w4a4+rot", "w4a4+rot+auto", "w4a4+rrs+asym", "w4a4+rrs+asym+auto");
        stories = Llama2cCheckpointReader.read(SharedFiles.require(StoriesReference.CHECKPOINT), true);
        storiesCalib = CalibrationSet.random(stories.config().vocabSize(), 8, 128, 23);
        measure(q, "stories", stories, storiesCalib,
                CalibrationSet.random(stories.config().vocabSize(), 4, 128, 24).sequences(),
                "w4a4+rot", "w4a4+rot+auto", "w4a4+rot+gptq+asym", "w4a4+rot+gptq+asym+auto");
    }

    private static void measure(ModelQuantizer q, String model, ModelWeights w, CalibrationSet calib,
            List<long[]> windows, String... recipes) {
        DecoderModel fp = DecoderModel.fromWeights(w);
        for (String recipe : recipes) {
            QuantizationResult r = q.apply(w, QuantRecipe.parse(recipe), calib);
            RESULTS.put(model + " " + recipe, r);
            KL.put(model + " " + recipe, new TextEvaluator(r.model(), fp).evaluate(windows, i -> {}).klVsReference());
        }
    }

    @Test
    void plannedModelsAreNeverWorseThanTheUniformRecipe() {
        for (String key : KL.keySet()) {
            if (key.endsWith("+auto")) {
                String uniform = key.substring(0, key.length() - "+auto".length());
                assertTrue(KL.get(key) <= KL.get(uniform), key + " vs " + uniform + ": " + KL);
            }
        }
        // the token must do something somewhere, or the comparison above proves nothing
        assertTrue(KL.get("stories w4a4+rot+gptq+asym+auto") < 0.95 * KL.get("stories w4a4+rot+gptq+asym"),
                KL.toString());
    }

    @Test
    void atMostTheShareOfProjectionsReadsWideInputs() {
        for (Map.Entry<String, QuantizationResult> e : RESULTS.entrySet()) {
            ActivationPlan plan = e.getValue().contents().activationPlan();
            if (!e.getKey().endsWith("+auto")) {
                assertEquals(null, plan, e.getKey());
                continue;
            }
            assertNotNull(plan, e.getKey());
            int projections = plan.layers() * LinearKind.values().length;
            int wide = plan.linearsAt(ActivationPlan.WIDE_BITS);
            assertTrue(wide <= Math.floor(ActivationPlanner.WIDE_SHARE * projections),
                    e.getKey() + ": " + wide + " of " + projections);
            assertEquals(projections, wide + plan.linearsAt(4), e.getKey() + ": every other input stays at 4 bits");
        }
        // a plan the end-to-end check rejects keeps 4 bits everywhere; this one passed it
        assertTrue(RESULTS.get("stories w4a4+rot+gptq+asym+auto").contents().activationPlan()
                .linearsAt(ActivationPlan.WIDE_BITS) >= 1);
    }

    @Test
    void theSameCalibrationGivesTheSamePlanAndModel() {
        QuantizationResult again = new ModelQuantizer(RecipeSettings.DEFAULT)
                .apply(stories, QuantRecipe.parse("w4a4+rot+auto"), storiesCalib);
        QuantizationResult first = RESULTS.get("stories w4a4+rot+auto");
        assertEquals(first.contents().activationPlan(), again.contents().activationPlan());
        long[] prompt = {1, 403, 407, 261, 378};
        assertArrayEquals(first.model().forward(ForwardRequest.of(prompt, true)).logits(),
                again.model().forward(ForwardRequest.of(prompt, true)).logits());
    }
}
