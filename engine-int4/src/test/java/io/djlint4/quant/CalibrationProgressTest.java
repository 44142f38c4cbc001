package io.djlint4.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.djlint4.kernels.Fp4Format;
import io.djlint4.model.Architecture;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.model.RandomWeights;
import io.djlint4.quant.calib.CalibrationSet;
import io.djlint4.quant.fp4.Fp4Settings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Calibrating recipes report each layer (or RPTQ pass) as it finishes, in order, up to the total. */
class CalibrationProgressTest {

    private static final ModelConfig SMALL =
            new ModelConfig(Architecture.LLAMA, 128, 256, 3, 4, 2, 32, 97, 1e-5, 1e4, null, 256, false, false, false, 1, new int[] {2});

    /** A short LLM-FP4 search (20 candidates, 1 round, 16 tokens): only the reports matter here. */
    private static final Fp4Settings FAST = new Fp4Settings(Fp4Format.E2M1, 20, 0.01, 1.2, 1, 16);

    @ParameterizedTest
    @CsvSource({"w4a16+gptq, gptq layers, 3", "w4a16+adadim, adadim layers, 3", "w4a4+rptq, rptq passes, 8",
            "fp4, fp4 layers, 4"})
    void everyStepIsReportedInOrder(String recipe, String stage, int total) {
        ModelWeights weights = RandomWeights.of(SMALL, 5);
        CalibrationSet calibration = CalibrationSet.random(SMALL.vocabSize(), 4, 16, 13);
        List<String> updates = new ArrayList<>();
        new ModelQuantizer(RecipeSettings.DEFAULT, FAST)
                .withProgress((s, done, all) -> updates.add(s + " " + done + "/" + all))
                .quantize(weights, QuantRecipe.parse(recipe), calibration);
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= total; i++) {
            expected.add(stage + " " + i + "/" + total);
        }
        assertEquals(expected, updates);
    }
}
