package io.djlint4.quant.rptq;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.model.Architecture;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.ForwardResult;
import io.djlint4.model.LinearSlot;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Oracle 33 of ALGORITHMS.md §10: with quantization off, the reordered model (R1 and R4 gathered
 * after the norms, R3 in value rows and o_proj columns, R5 in gate/up rows and down columns)
 * computes the original logits, over a whole prompt and through a cached decode step.
 */
class ReorderFusionTest {

    private static final RptqSettings SETTINGS = new RptqSettings(5, 3, 4, 0, 300, 0.99, 8);

    @ParameterizedTest(name = "{0} heads={1} kv={2} tied={3} bias={4} qkNorm={5}")
    @CsvSource({
        "QWEN2,4,2,true,true,false",
        "LLAMA,4,4,false,false,false",
        "QWEN3,4,1,true,false,true",
    })
    void reorderedModelMatchesOriginal(
            Architecture arch, int heads, int kvHeads, boolean tied, boolean bias, boolean qkNorm) {
        ModelConfig c = ReorderedModels.config(arch, heads, kvHeads, tied, bias, qkNorm);
        ModelWeights w = ReorderedModels.weights(c, 21);
        RptqQuantizer rptq = new RptqQuantizer(SETTINGS);
        ReorderPlan plan = rptq.plan(w, ReorderedModels.sequences(3, 20, c.vocabSize(), 8));
        for (LinearSlot slot : LinearSlot.values()) {
            assertTrue(!isIdentity(plan.layer(0).input(slot).perm()), slot + " reorder is the identity: test is vacuous");
        }
        DecoderModel original = DecoderModel.fromWeights(w);
        DecoderModel reordered = rptq.reorderedModel(w, plan);

        long[] prompt = new Random(9).longs(17, 0, c.vocabSize()).toArray();
        ForwardResult expected = original.forward(ForwardRequest.of(prompt, true));
        ForwardResult got = reordered.forward(ForwardRequest.of(prompt, true));
        double rel = relativeError(expected.logits(), got.logits());
        assertTrue(rel <= 1e-5, "prompt: max |Δlogit| / max |logit| = " + rel);

        // The value cache is stored reordered; decoding from it must still match.
        float[] nextExpected = original.forward(ForwardRequest.next(5, expected.present())).logits();
        float[] nextGot = reordered.forward(ForwardRequest.next(5, got.present())).logits();
        double relNext = relativeError(nextExpected, nextGot);
        assertTrue(relNext <= 1e-5, "decode step: max |Δlogit| / max |logit| = " + relNext);

        float[] noGather =
                DecoderModel.fromWeights(ReorderFusion.apply(w, plan)).forward(ForwardRequest.of(prompt, true)).logits();
        assertTrue(
                relativeError(expected.logits(), noGather) > 1e-2,
                "permuted weights without the norm-output gather must change the logits");
    }

    private static boolean isIdentity(int[] perm) {
        for (int i = 0; i < perm.length; i++) {
            if (perm[i] != i) {
                return false;
            }
        }
        return true;
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
