package io.djlint4.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.djlint4.model.Architecture;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.LinearFootprint;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.model.RandomWeights;
import org.junit.jupiter.api.Test;

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

    @Test
    void rotatedFloatWeightsStayThirtyTwoBits() {
        assertEquals(32.0, footprint("fp32+rot", Execution.PACKED).bitsPerWeight());
    }
}
