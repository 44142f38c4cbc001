package io.djlint4.quant.rotation;

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
        ModelWeights rotated = RotationFusion.rotate(RotationFusion.foldNorms(w), r1, r2, r4);
        LinearFactory onlineR4 =
                (layer, kind, weight, b, out, in) -> {
                    DenseLinear dense = new DenseLinear(weight, b, out, in);
                    return kind == LinearKind.DOWN ? new TransformedInputLinear(r4.online(), dense) : dense;
                };
        long[] ids = new Random(9).longs(17, 0, 61).toArray();
        float[] expected = DecoderModel.fromWeights(w).forward(ForwardRequest.of(ids, true)).logits();
        float[] got = DecoderModel.fromWeights(rotated, onlineR4).forward(ForwardRequest.of(ids, true)).logits();
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(expected[i] - got[i]));
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
        }
        double rel = maxDiff / maxRef;
        assertTrue(rel <= 1e-4, "max |Δlogit| / max |logit| = " + rel);

        ModelWeights withoutR4Online = rotated;
        float[] broken = DecoderModel.fromWeights(withoutR4Online).forward(ForwardRequest.of(ids, true)).logits();
        double brokenDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            brokenDiff = Math.max(brokenDiff, Math.abs(expected[i] - broken[i]));
        }
        assertTrue(brokenDiff / maxRef > 1e-2, "leaving out the online R4 must change the logits");
    }
}
