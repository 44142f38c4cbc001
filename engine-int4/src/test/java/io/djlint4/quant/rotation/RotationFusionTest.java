package io.djlint4.quant.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.model.Architecture;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.DenseLinear;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.LinearFactory;
import io.djlint4.model.LinearKind;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.model.RandomWeights;
import io.djlint4.model.TransformedInputLinear;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Oracle 7 of ALGORITHMS.md §10: with quantization off, the rotated model computes the same logits. */
class RotationFusionTest {

    @ParameterizedTest(name = "{0} heads={1} kv={2} tied={3} bias={4} qkNorm={5}")
    @CsvSource({
        "QWEN2,4,2,true,true,false",
        "LLAMA,4,4,false,false,false",
        "QWEN3,4,1,true,false,true",
    })
    void rotatedModelMatchesOriginal(
            Architecture arch, int heads, int kvHeads, boolean tied, boolean bias, boolean qkNorm) {
        ModelConfig c =
                new ModelConfig(arch, 32, 48, 2, heads, kvHeads, 8, 61, 1e-6, 1e4, null, 64, tied, bias, qkNorm, 1, new int[] {2});
        ModelWeights w = RandomWeights.of(c, 21);
        DenseRotation r1 = new DenseRotation(Orthonormalization.random(32, 1), 32);
        DenseRotation r2 = new DenseRotation(Orthonormalization.random(8, 2), 8);
        DenseRotation r4 = new DenseRotation(Orthonormalization.random(48, 3), 48);
        HeadMix headMix = new HeadMix(new DenseRotation(Orthonormalization.random(heads, 4), heads), heads, 8);
        ModelWeights rotated = RotationFusion.rotate(RotationFusion.foldNorms(w), r1, r2, r4, headMix);
        long[] ids = new Random(9).longs(17, 0, 61).toArray();
        float[] expected = DecoderModel.fromWeights(w).forward(ForwardRequest.of(ids, true)).logits();
        double maxRef = 0;
        for (float v : expected) {
            maxRef = Math.max(maxRef, Math.abs(v));
        }

        double rel = maxDiff(expected, logits(rotated, ids, r4, headMix)) / maxRef;
        assertTrue(rel <= 1e-4, "max |Δlogit| / max |logit| = " + rel);
        assertTrue(maxDiff(expected, logits(rotated, ids, null, headMix)) / maxRef > 1e-2,
                "leaving out the online R4 must change the logits");
        assertTrue(maxDiff(expected, logits(rotated, ids, r4, null)) / maxRef > 1e-2,
                "leaving out the online head-mix must change the logits");
    }

    /** Logits of rotated weights with R4 online before down_proj and the head-mix before o_proj. */
    private static float[] logits(ModelWeights rotated, long[] ids, Rotation r4, Rotation headMix) {
        LinearFactory online =
                (layer, kind, weight, b, out, in) -> {
                    DenseLinear dense = new DenseLinear(weight, b, out, in);
                    Rotation r = kind == LinearKind.DOWN ? r4 : kind == LinearKind.O ? headMix : null;
                    return r == null ? dense : new TransformedInputLinear(r.online(), dense);
                };
        return DecoderModel.fromWeights(rotated, online).forward(ForwardRequest.of(ids, true)).logits();
    }

    private static double maxDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    @Test
    void headMixIsTheKroneckerProductWithIdentity() {
        int heads = 4;
        int hd = 3;
        double[] m = Orthonormalization.random(heads, 5);
        HeadMix mix = new HeadMix(new DenseRotation(m, heads), heads, hd);
        double[] x = new Random(2).doubles(heads * hd, -1, 1).toArray();
        double[] got = x.clone();
        mix.rotate(got, 0);
        for (int h = 0; h < heads; h++) {
            for (int c = 0; c < hd; c++) {
                // (x·(M ⊗ I))[h·hd + c] = Σ_g x[g·hd + c]·M[g][h]
                double expected = 0;
                for (int g = 0; g < heads; g++) {
                    expected += x[g * hd + c] * m[g * heads + h];
                }
                assertEquals(expected, got[h * hd + c], 1e-12);
            }
        }
    }
}
