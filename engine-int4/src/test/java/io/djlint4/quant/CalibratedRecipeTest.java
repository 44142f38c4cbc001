package io.djlint4.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.eval.TextEvaluator;
import io.djlint4.model.Architecture;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.model.RandomWeights;
import io.djlint4.quant.calib.CalibrationSet;
import io.djlint4.quant.calib.WeightOutlierModel;
import io.djlint4.quant.weight.GroupLayout;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The calibrated recipes end to end: on a weight-only model with outlier input channels AdaDim
 * beats the per-OC baselines in KL from full precision, and on a small random model GPTQ inside the
 * rotated W4A4 pipeline (R4 in front of down_proj included) beats RTN.
 */
class CalibratedRecipeTest {

    /** A small Llama whose widths have Hadamard rotations: hidden 128, intermediate 256. */
    private static final ModelConfig SMALL =
            new ModelConfig(Architecture.LLAMA, 128, 256, 2, 4, 2, 32, 97, 1e-5, 1e4, null, 256, false, false, false, 1, new int[] {2});

    private static final Map<String, Double> KL = new LinkedHashMap<>();
    private static QuantizationResult adaDim;

    @BeforeAll
    static void evaluate() {
        ModelQuantizer q = new ModelQuantizer(RecipeSettings.DEFAULT);

        ModelWeights w = WeightOutlierModel.weights(7);
        DecoderModel fp = DecoderModel.fromWeights(w);
        CalibrationSet calib = CalibrationSet.random(w.config().vocabSize(), 16, 64, 11);
        List<long[]> windows = CalibrationSet.random(w.config().vocabSize(), 4, 64, 12).sequences();
        for (String recipe : new String[] {"w3a16", "w3a16+adadim", "w3a16+gptq", "w3a16+gptq+adadim"}) {
            QuantizationResult r = q.apply(w, QuantRecipe.parse(recipe), calib);
            if (recipe.equals("w3a16+gptq+adadim")) {
                adaDim = r;
            }
            KL.put(recipe, new TextEvaluator(r.model(), fp).evaluate(windows, i -> {}).klVsReference());
        }

        ModelWeights small = RandomWeights.of(SMALL, 5);
        DecoderModel smallFp = DecoderModel.fromWeights(small);
        CalibrationSet smallCalib = CalibrationSet.random(SMALL.vocabSize(), 8, 64, 13);
        List<long[]> smallWindows = CalibrationSet.random(SMALL.vocabSize(), 4, 64, 14).sequences();
        ModelQuantizer fewDfrotSteps = new ModelQuantizer(RecipeSettings.DEFAULT.withDfrotIterations(3));
        for (String recipe : new String[] {"w4a4+rot", "w4a4+rot+gptq", "w4a4+dfrot", "w4a4+dfrot+gptq"}) {
            DecoderModel m = fewDfrotSteps.quantize(small, QuantRecipe.parse(recipe), smallCalib);
            KL.put(recipe, new TextEvaluator(m, smallFp).evaluate(smallWindows, i -> {}).klVsReference());
        }
    }

    @Test
    void gptqImprovesDfrotAndOnlyWhenAsked() {
        // dfrot calibrates its rotation, which must not switch on GPTQ for the weights.
        assertTrue(KL.get("w4a4+dfrot+gptq") < 0.95 * KL.get("w4a4+dfrot"), KL.toString());
    }

    @Test
    void gptqAdaDimBeatsGptqAndRtn() {
        assertTrue(KL.get("w3a16+gptq+adadim") < 0.8 * KL.get("w3a16+gptq"), KL.toString());
        assertTrue(KL.get("w3a16+gptq+adadim") < 0.3 * KL.get("w3a16"), KL.toString());
    }

    @Test
    void rtnAdaDimBeatsRtn() {
        assertTrue(KL.get("w3a16+adadim") < 0.8 * KL.get("w3a16"), KL.toString());
    }

    @Test
    void gptqBeatsRtnInTheRotatedW4A4Pipeline() {
        assertTrue(KL.get("w4a4+rot+gptq") < 0.9 * KL.get("w4a4+rot"), KL.toString());
    }

    @Test
    void adaDimReportsBothLayouts() {
        List<GroupLayout> layouts = adaDim.layoutChoices().stream().map(c -> c.layout()).distinct().toList();
        assertEquals(14, adaDim.layoutChoices().size());
        assertTrue(layouts.contains(GroupLayout.PER_INPUT_CHANNEL) && layouts.contains(GroupLayout.PER_OUTPUT_CHANNEL), layouts.toString());
    }

    @Test
    void calibratedRecipesWithoutCalibrationFailClearly() {
        ModelQuantizer q = new ModelQuantizer(RecipeSettings.DEFAULT);
        ModelWeights w = WeightOutlierModel.weights(1);
        for (String recipe : new String[] {"w4a4+rrs+gptq", "w3a16+adadim"}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> q.quantize(w, QuantRecipe.parse(recipe)));
            assertTrue(e.getMessage().contains("CalibrationSet") && e.getMessage().contains(recipe), e.getMessage());
        }
    }

    @Test
    void uncalibratedRecipesReportNoLayoutChoices() {
        QuantizationResult r =
                new ModelQuantizer(RecipeSettings.DEFAULT).apply(WeightOutlierModel.weights(1), QuantRecipe.parse("w4a16"), null);
        assertTrue(r.layoutChoices().isEmpty());
    }
}
