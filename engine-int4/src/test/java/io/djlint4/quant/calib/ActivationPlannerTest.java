package io.djlint4.quant.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.model.Architecture;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.LinearSlot;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.RandomWeights;
import io.djlint4.quant.ActivationPlan;
import org.junit.jupiter.api.Test;

/** The greedy choice: error saved per projection, within the share, ties by layer and slot. */
class ActivationPlannerTest {

    /** {ref, narrow error, wide error} of every input: narrow errors as given, wide ones a tenth. */
    private static double[][][] sums(double[][] narrow) {
        double[][][] s = new double[narrow.length][LinearSlot.values().length][];
        for (int l = 0; l < narrow.length; l++) {
            for (int slot = 0; slot < LinearSlot.values().length; slot++) {
                s[l][slot] = new double[] {1, narrow[l][slot], narrow[l][slot] / 10};
            }
        }
        return s;
    }

    @Test
    void widensByErrorSavedPerProjectionWithinTheShare() {
        // 3 layers: 21 projections, 2 may read 8-bit inputs. q/k/v's input saves most in all but
        // costs three; the two down_proj inputs save most per projection.
        double[][] narrow = {
            {0.5, 0.01, 0.01, 0.20},
            {0.01, 0.01, 0.01, 0.25},
            {0.01, 0.01, 0.01, 0.01},
        };
        ActivationPlan plan = ActivationPlanner.choose(sums(narrow), 4);
        assertEquals(2, plan.linearsAt(8));
        assertEquals(8, plan.bits(0, LinearSlot.DOWN));
        assertEquals(8, plan.bits(1, LinearSlot.DOWN));
        assertEquals(4, plan.bits(0, LinearSlot.QKV));
        assertEquals(0.2, plan.inputs().get(3).narrowError(), 1e-12);
        assertEquals(0.02, plan.inputs().get(3).wideError(), 1e-12);
    }

    @Test
    void anInputThatDoesNotFitLeavesRoomForSmallerOnes() {
        // 5 layers: 35 projections, 3 may be widened: gate/up (two) first, q/k/v (three) no longer
        // fits, then the best single one.
        double[][] narrow = new double[5][4];
        for (double[] row : narrow) {
            java.util.Arrays.fill(row, 0.01);
        }
        narrow[0][LinearSlot.GATE_UP.ordinal()] = 0.9;
        narrow[1][LinearSlot.QKV.ordinal()] = 0.9;
        narrow[2][LinearSlot.O.ordinal()] = 0.2;
        ActivationPlan plan = ActivationPlanner.choose(sums(narrow), 4);
        assertEquals(3, plan.linearsAt(8));
        assertEquals(8, plan.bits(0, LinearSlot.GATE_UP));
        assertEquals(4, plan.bits(1, LinearSlot.QKV));
        assertEquals(8, plan.bits(2, LinearSlot.O));
    }

    @Test
    void tiesGoToTheEarlierLayerAndSlot() {
        double[][] narrow = new double[3][4];
        for (double[] row : narrow) {
            java.util.Arrays.fill(row, 0.1);
        }
        ActivationPlan plan = ActivationPlanner.choose(sums(narrow), 3);
        // 21 projections, 2 widened: equal gain per projection everywhere, so the first two inputs
        // costing one projection in order: layer 0 o_proj and layer 0 down_proj
        assertEquals(8, plan.bits(0, LinearSlot.O));
        assertEquals(8, plan.bits(0, LinearSlot.DOWN));
        assertEquals(2, plan.linearsAt(8));
        assertEquals(3, plan.bits(0, LinearSlot.QKV));
    }

    @Test
    void aPlanNarrowedBackKeepsWhatWasMeasured() {
        double[][] narrow = {{0.5, 0.01, 0.01, 0.2}, {0.01, 0.01, 0.01, 0.3}, {0.01, 0.01, 0.01, 0.01}};
        ActivationPlan plan = ActivationPlanner.choose(sums(narrow), 4);
        ActivationPlan narrowed = plan.withWidth(4);
        assertEquals(0, narrowed.linearsAt(8));
        assertEquals(21, narrowed.linearsAt(4));
        for (int i = 0; i < plan.inputs().size(); i++) {
            assertEquals(plan.inputs().get(i).narrowError(), narrowed.inputs().get(i).narrowError());
            assertEquals(plan.inputs().get(i).wideError(), narrowed.inputs().get(i).wideError());
        }
    }

    @Test
    void theEndToEndCheckMeasuresKlFromTheReference() {
        ModelConfig c = new ModelConfig(
                Architecture.LLAMA, 32, 64, 2, 4, 2, 8, 50, 1e-5, 1e4, null, 64, true, false, false, 1, new int[] {2});
        DecoderModel a = DecoderModel.fromWeights(RandomWeights.of(c, 1));
        DecoderModel b = DecoderModel.fromWeights(RandomWeights.of(c, 2));
        java.util.List<long[]> seqs = CalibrationSet.random(c.vocabSize(), 2, 9, 3).sequences();
        assertEquals(0.0, ActivationPlanner.meanKl(a, a, seqs));
        assertTrue(ActivationPlanner.meanKl(b, a, seqs) > 0.0);
    }
}
