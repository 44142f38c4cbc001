package io.djlint4.quant.rptq;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.model.Architecture;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.LinearSlot;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The quantized reordered model puts gather, per-cluster activation grids and per-cluster weight
 * grids together consistently: calibrated on the very prompt it is run on (so static ranges clip
 * nothing) and with 8-bit grids it stays close to the original, and coarser grids cost more.
 */
class RptqLinearsTest {

    private static final RptqSettings SETTINGS = new RptqSettings(5, 3, 4, 0, 300, 0.99, 8);

    @Test
    void fineGridsOnCalibratedInputsApproximateTheOriginal() {
        ModelConfig c = ReorderedModels.config(Architecture.QWEN2, 4, 2, true, true, false);
        ModelWeights w = ReorderedModels.weights(c, 21);
        long[] prompt = new Random(9).longs(17, 0, c.vocabSize()).toArray();
        DecoderModel fp = DecoderModel.fromWeights(w);
        float[] expected = fp.forward(ForwardRequest.of(prompt, true)).logits();
        ReorderPlan plan = new RptqQuantizer(SETTINGS).plan(w, List.of(prompt));
        ClusterRangeCalibrator ranges = new ClusterRangeCalibrator(plan, SETTINGS.emaMomentum());
        fp.forward(ForwardRequest.of(prompt, false).withObserver(ranges));
        ModelWeights fused = ReorderFusion.apply(w, plan);

        double fine = relativeError(expected, run(fused, plan, ranges, 8, 8, prompt));
        double coarse = relativeError(expected, run(fused, plan, ranges, 4, 4, prompt));
        assertTrue(fine < 5e-2, "8-bit weights and activations: max |Δlogit| / max |logit| = " + fine);
        assertTrue(coarse > 4 * fine, "4-bit " + coarse + " vs 8-bit " + fine);
    }

    private static float[] run(
            ModelWeights fused, ReorderPlan plan, ClusterRangeCalibrator ranges, int weightBits, int actBits, long[] prompt) {
        int layers = fused.config().numLayers();
        ClusterActivationQuantizer[][] acts = new ClusterActivationQuantizer[layers][LinearSlot.values().length];
        for (int l = 0; l < layers; l++) {
            for (LinearSlot slot : LinearSlot.values()) {
                acts[l][slot.ordinal()] = ranges.quantizer(l, slot, new ClusterGrid(actBits));
            }
        }
        RptqLinears linears = RptqLinears.quantized(plan, acts, new ClusterWeightQuantizer(weightBits));
        return DecoderModel.fromWeights(fused, linears).forward(ForwardRequest.of(prompt, true)).logits();
    }

    private static double relativeError(float[] expected, float[] got) {
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(expected[i] - got[i]));
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
        }
        return maxDiff / maxRef;
    }
}
