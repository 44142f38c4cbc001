package io.djlint4.quant;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.eval.TextEvaluator;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ModelWeights;
import io.djlint4.quant.calib.CalibrationSet;
import io.djlint4.quant.rptq.RptqQuantizer;
import io.djlint4.quant.rptq.RptqSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RPTQ recipes through {@link ModelQuantizer} on the outlier model: clustering outlier channels
 * apart pays off against per-token W4A4, with round-to-nearest or GPTQ weights, and calibration
 * is required.
 */
class RptqRecipeTest {

    private static final Map<String, Double> KL = new LinkedHashMap<>();
    private static ModelWeights weights;
    private static List<long[]> calibration;

    @BeforeAll
    static void evaluate() {
        weights = OutlierModel.weights(3);
        DecoderModel fp = DecoderModel.fromWeights(weights);
        List<long[]> windows = OutlierModel.windows(4, 64, 5);
        calibration = OutlierModel.windows(8, 64, 11);
        ModelQuantizer q = new ModelQuantizer(RecipeSettings.DEFAULT);
        for (String recipe : new String[] {"w4a4", "w4a4+rptq", "w3a3+rptq", "w4a4+rptq+gptq"}) {
            DecoderModel m = q.quantize(weights, QuantRecipe.parse(recipe), new CalibrationSet(calibration));
            KL.put(recipe, new TextEvaluator(m, fp).evaluate(windows, i -> {}).klVsReference());
        }
        DecoderModel plain =
                new RptqQuantizer(RptqSettings.DEFAULT.withPlainNormOutputs())
                        .quantize(weights, QuantRecipe.parse("w4a4+rptq"), calibration);
        KL.put("w4a4+rptq, 4-bit norm outputs", new TextEvaluator(plain, fp).evaluate(windows, i -> {}).klVsReference());
        System.out.println("outlier model KL vs fp32 " + KL);
    }

    @Test
    void rptqBeatsPerTokenW4A4ByFar() {
        assertTrue(KL.get("w4a4") > 3 * KL.get("w4a4+rptq"), KL.toString());
    }

    @Test
    void rptqBeatsPerTokenW4A4EvenWithNormOutputsAtFourBits() {
        assertTrue(KL.get("w4a4") > 2 * KL.get("w4a4+rptq, 4-bit norm outputs"), KL.toString());
    }

    @Test
    void threeBitsCostMoreThanFour() {
        assertTrue(KL.get("w3a3+rptq") > KL.get("w4a4+rptq"), KL.toString());
    }

    @Test
    void rptqWithoutCalibrationFailsClearly() {
        ModelQuantizer q = new ModelQuantizer(RecipeSettings.DEFAULT);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> q.quantize(weights, QuantRecipe.parse("w4a4+rptq")));
        assertTrue(e.getMessage().contains("needs calibration"), e.getMessage());
    }

    @Test
    void gptqWeightsKeepRptqFarAheadOfPerTokenW4A4() {
        // Measured 0.0447 against 0.0430 with round-to-nearest weights: on this model the error is the
        // activations', and GPTQ's gain on the layer outputs (ClusterGptqTest) does not show in the KL.
        assertTrue(KL.get("w4a4") > 3 * KL.get("w4a4+rptq+gptq"), KL.toString());
        assertTrue(KL.get("w4a4+rptq+gptq") < 1.2 * KL.get("w4a4+rptq"), KL.toString());
    }
}
