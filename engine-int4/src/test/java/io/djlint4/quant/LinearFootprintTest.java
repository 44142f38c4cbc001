package io.djlint4.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.djlint4.model.Architecture;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.LinearFootprint;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.model.RandomWeights;
import io.djlint4.quant.calib.CalibrationSet;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The bits per weight recipes report, against counts by hand of the codes and grids they hold. */
class LinearFootprintTest {

    /** One layer: q, o 256x256; k, v 128x256; gate, up 512x256; down 256x512. */
    private static final ModelConfig CONFIG =
            new ModelConfig(Architecture.LLAMA, 256, 512, 1, 4, 2, 64, 50, 1e-5, 1e4, null, 64, false, false, false, 1,
                    new int[] {2});
    private static final ModelWeights WEIGHTS = RandomWeights.of(CONFIG, 5);
    private static final long WEIGHT_COUNT = 2L * 256 * 256 + 2L * 128 * 256 + 3L * 512 * 256;
    /** Output rows summed over the seven projections: one per-channel grid each. */
    private static final long ROWS = 256 + 128 + 128 + 256 + 512 + 512 + 256;

    private static LinearFootprint footprint(String recipe, Execution execution) {
        DecoderModel m = new ModelQuantizer(RecipeSettings.DEFAULT)
                .withExecution(execution)
                .quantize(WEIGHTS, QuantRecipe.parse(recipe));
        return m.linearFootprint();
    }

    /** Packed, with calibration for the recipes that need it. */
    private static LinearFootprint footprintCalibrated(String recipe) {
        QuantRecipe r = QuantRecipe.parse(recipe);
        CalibrationSet calibration = r.needsCalibration()
                ? CalibrationSet.sample(new Random(1).longs(256, 0, CONFIG.vocabSize()).toArray(), 2, 64, 0)
                : null;
        return new ModelQuantizer(RecipeSettings.DEFAULT).quantize(WEIGHTS, r, calibration).linearFootprint();
    }

    @Test
    void fullPrecisionHoldsThirtyTwoBits() {
        LinearFootprint f = DecoderModel.fromWeights(WEIGHTS).linearFootprint();
        assertEquals(WEIGHT_COUNT, f.weights());
        assertEquals(32.0, f.bitsPerWeight());
    }

    @Test
    void weightOnlyGroupsAddAScaleAndAZeroPer128Weights() {
        // Asymmetric groups of 128: 4-bit codes, a 32-bit scale and a 32-bit zero point per group.
        long groups = WEIGHT_COUNT / 128;
        LinearFootprint f = footprint("w4a16", Execution.PACKED);
        assertEquals(4 * WEIGHT_COUNT + 64 * groups, f.bits());
        assertEquals(4.5, f.bitsPerWeight(), 1e-12);
        assertEquals(f, footprint("w4a16", Execution.SIMULATED));
    }

    @Test
    void dqCountsItsCodedStepsAndMinimumsNotTheFloatsItExpandsThemTo() {
        // 4-bit codes, 6 + 8 bits per group of 32, two bfloat16 maxima per row; packed or simulated,
        // with float or 8-bit inputs.
        long bits = 4 * WEIGHT_COUNT + 14 * (WEIGHT_COUNT / 32) + 32 * ROWS;
        for (String recipe : new String[] {"w4a16+g32+dq", "w4a8+g32+dq"}) {
            for (Execution e : Execution.values()) {
                assertEquals(bits, footprint(recipe, e).bits(), recipe + " " + e);
            }
        }
        assertEquals(4.5, footprint("w4a8+g32+dq", Execution.PACKED).bitsPerWeight(), 0.05);
    }

    @Test
    void threeBitCodesTakeANibbleWhenPacked() {
        long groups = WEIGHT_COUNT / 128;
        assertEquals(4 * WEIGHT_COUNT + 64 * groups, footprint("w3a16", Execution.PACKED).bits());
        assertEquals(3 * WEIGHT_COUNT + 64 * groups, footprint("w3a16", Execution.SIMULATED).bits());
    }

    @Test
    void weightAndActivationRecipesHaveOneSymmetricGridPerRow() {
        LinearFootprint f = footprint("w4a4+rot", Execution.PACKED);
        assertEquals(4 * WEIGHT_COUNT + 32 * ROWS, f.bits());
        assertEquals(4 + 32.0 * ROWS / WEIGHT_COUNT, f.bitsPerWeight(), 1e-12);
    }

    @ParameterizedTest
    @CsvSource({"w4a8+g32, 5.0", "w4a4+g64+rot, 4.5", "w4a8+g128, 4.25", "w3a3+g32+rot, 5.0"})
    void groupTokensGiveWeightAndActivationRecipesASymmetricGridPerGroup(String recipe, double bpw) {
        // Symmetric: a 32-bit scale per group and no zero point; 3-bit codes packed take a nibble.
        for (Execution e : Execution.values()) {
            LinearFootprint f = footprint(recipe, e);
            int codeBits = e == Execution.PACKED ? 4 : QuantRecipe.parse(recipe).bits().weightBits();
            assertEquals(bpw - 4 + codeBits, f.bitsPerWeight(), 1e-12, recipe + " " + e);
        }
    }

    @ParameterizedTest
    @CsvSource({"w4a16+g32, 6.0", "w4a16+g64, 5.0", "w4a16+g128, 4.5", "w3a16+g32+gptq, 6.0"})
    void groupTokensGiveWeightOnlyRecipesAnAsymmetricGridPerGroup(String recipe, double bpw) {
        // Asymmetric: a 32-bit scale and a 32-bit zero point per group.
        assertEquals(bpw, footprintCalibrated(recipe).bitsPerWeight(), 1e-12, recipe);
    }

    @Test
    void perChannelWeightOnlyGridsHoldAScaleAndAZeroPerRow() {
        LinearFootprint f = footprint("w4a16+pc", Execution.PACKED);
        assertEquals(4 * WEIGHT_COUNT + 64 * ROWS, f.bits());
    }

    @Test
    void rotatedFloatWeightsStayThirtyTwoBits() {
        assertEquals(32.0, footprint("fp32+rot", Execution.PACKED).bitsPerWeight());
    }
}
