package io.djlint4.quant.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.model.Architecture;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.ForwardResult;
import io.djlint4.model.KvCacheScheme;
import io.djlint4.model.LinearFactory;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.model.RandomWeights;
import io.djlint4.model.RowTransform;
import io.djlint4.quant.rotation.HadamardTransform;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Oracle 8, first part: R3 on queries and keys leaves every score, and so the model, unchanged. */
class HeadRotationTest {

    /** GQA (4 query heads on 2 KV heads) and q/k biases, head dimension 32. */
    private static final ModelConfig GQA =
            new ModelConfig(Architecture.QWEN2, 128, 256, 2, 4, 2, 32, 97, 1e-6, 1e6, null, 256, false, true, false, 1, new int[] {2});

    @ParameterizedTest
    @ValueSource(ints = {32, 64, 80, 96})
    void rotatedScoresEqualTheOriginalScores(int hd) {
        SplittableRandom rnd = new SplittableRandom(hd);
        int n = 6;
        float[] q = new float[n * hd];
        float[] k = new float[n * hd];
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) rnd.nextGaussian();
            k[i] = (float) (rnd.nextGaussian() * (i % hd == 3 ? 20 : 1));
        }
        RowTransform s = HadamardTransform.of(hd, 0).online();
        float[] qs = new float[q.length];
        float[] ks = new float[k.length];
        s.apply(q, n, qs);
        s.apply(k, n, ks);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double plain = dot(q, i * hd, k, j * hd, hd);
                double rotated = dot(qs, i * hd, ks, j * hd, hd);
                assertEquals(plain, rotated, 1e-4 * (1 + Math.abs(plain)), "hd " + hd + " (" + i + ", " + j + ")");
            }
        }
        // The rotation spreads the 20x key channel: the rotated keys' largest entry is much smaller.
        assertTrue(absMax(ks) < 0.5 * absMax(k), absMax(ks) + " vs " + absMax(k));
    }

    @Test
    void fullPrecisionModelWithR3GivesTheOriginalLogitsAndRotatedKeys() {
        ModelWeights w = RandomWeights.of(GQA, 21);
        int hd = GQA.headDim();
        RowTransform r3 = HadamardTransform.of(hd, 0).online();
        DecoderModel plain = DecoderModel.fromWeights(w);
        DecoderModel rotated = DecoderModel.fromWeights(w, LinearFactory.DENSE, new KvCacheScheme(r3, null));
        long[] ids = new SplittableRandom(4).longs(16, 3, GQA.vocabSize()).toArray();
        ForwardResult a = plain.forward(ForwardRequest.of(ids, true));
        ForwardResult b = rotated.forward(ForwardRequest.of(ids, true));
        double max = absMax(a.logits());
        double diff = 0;
        for (int i = 0; i < a.logits().length; i++) {
            diff = Math.max(diff, Math.abs(a.logits()[i] - b.logits()[i]));
        }
        assertTrue(diff <= 1e-4 * max, "max |Δlogit| " + diff + " of max |logit| " + max);
        for (int l = 0; l < GQA.numLayers(); l++) {
            float[] expected = new float[a.present().keys(l).length];
            r3.apply(a.present().keys(l), expected.length / hd, expected);
            assertArrayEquals(expected, b.present().keys(l), 1e-4f * absMax(expected));
            assertArrayEquals(a.present().values(l), b.present().values(l), 1e-4f * absMax(a.present().values(l)));
        }
    }

    private static double dot(float[] a, int ao, float[] b, int bo, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) a[ao + i] * b[bo + i];
        }
        return s;
    }

    private static float absMax(float[] x) {
        float m = 0;
        for (float v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
