package io.djlint4.quant;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.eval.TextEvaluator;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.KvCacheScheme;
import io.djlint4.model.KvQuantizer;
import io.djlint4.model.LayerWeights;
import io.djlint4.model.LinearFactory;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.quant.kv.GroupedKvQuantizer;
import io.djlint4.quant.kv.KvCacheSettings;
import io.djlint4.quant.rotation.HadamardTransform;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On the outlier model with outlier key channels added, mean KL from full precision with and
 * without the 4-bit KV cache: rounding the cache costs accuracy, and the rotations (R2 on values,
 * R3 on keys) make it cost less. Without the key outliers the cache's error is about 1% of W4A4's
 * and uncorrelated with it, so {@code w4a4+rot+kv4} can land on either side of {@code w4a4+rot};
 * the key outliers make the cache's share large enough to order. Weight grids skip the clipping
 * search to keep the test fast; the orderings do not depend on it.
 */
class Kv4OrderingTest {

    private static final float KEY_OUTLIER = 10f;

    private static final Map<String, Double> KL = new LinkedHashMap<>();

    @BeforeAll
    static void evaluate() {
        ModelWeights w = withKeyOutliers(OutlierModel.weights(3));
        DecoderModel fp = DecoderModel.fromWeights(w);
        List<long[]> windows = OutlierModel.windows(2, 64, 5);
        ModelQuantizer q = new ModelQuantizer(new RecipeSettings(0, 1f, 128, false));
        for (String recipe : new String[] {"fp32+kv4", "fp32+rot+kv4", "w4a4+kv4", "w4a4+rot", "w4a4+rot+kv4"}) {
            KL.put(recipe, kl(q.quantize(w, QuantRecipe.parse(recipe)), fp, windows));
        }
        ModelConfig c = w.config();
        KvQuantizer keysOnly = keysOnly(new GroupedKvQuantizer(c.numKvHeads(), c.headDim(), KvCacheSettings.DEFAULT));
        KL.put("k4", kl(DecoderModel.fromWeights(w, LinearFactory.DENSE, new KvCacheScheme(null, keysOnly)), fp, windows));
        KL.put("k4+r3", kl(DecoderModel.fromWeights(
                w, LinearFactory.DENSE, new KvCacheScheme(HadamardTransform.of(c.headDim(), 0).online(), keysOnly)), fp, windows));
        System.out.println("KV4 KL " + KL);
    }

    /**
     * Real models' keys have a few channels far larger than the rest (before and after rope); the
     * outlier model's keys do not, so one key channel of every KV head is scaled up here.
     */
    private static ModelWeights withKeyOutliers(ModelWeights base) {
        ModelConfig c = base.config();
        int h = c.hiddenSize();
        LayerWeights[] layers = new LayerWeights[base.layers().length];
        for (int l = 0; l < layers.length; l++) {
            LayerWeights lw = base.layers()[l];
            float[] wk = lw.wk().clone();
            for (int head = 0; head < c.numKvHeads(); head++) {
                int row = head * c.headDim() + 3;
                for (int j = 0; j < h; j++) {
                    wk[row * h + j] *= KEY_OUTLIER;
                }
            }
            layers[l] = new LayerWeights(lw.attnNorm(), lw.wq(), wk, lw.wv(), lw.wo(), lw.bq(), lw.bk(), lw.bv(),
                    lw.qNorm(), lw.kNorm(), lw.ffnNorm(), lw.wGate(), lw.wUp(), lw.wDown());
        }
        return new ModelWeights(c, base.tokenEmbedding(), layers, base.finalNorm(), base.lmHead());
    }

    private static double kl(DecoderModel m, DecoderModel fp, List<long[]> windows) {
        return new TextEvaluator(m, fp).evaluate(windows, i -> {}).klVsReference();
    }

    /** Rounds keys only, to see R3's effect without the value cache's error. */
    private static KvQuantizer keysOnly(KvQuantizer kv) {
        return new KvQuantizer() {
            @Override
            public void quantizeKeys(float[] keys, int tokens) {
                kv.quantizeKeys(keys, tokens);
            }

            @Override
            public void quantizeValues(float[] values, int tokens) {}
        };
    }

    @Test
    void roundingTheCacheCostsAccuracy() {
        assertTrue(KL.get("fp32+kv4") > 1e-4, KL.toString());
        assertTrue(KL.get("w4a4+rot+kv4") >= KL.get("w4a4+rot"), KL.toString());
    }

    @Test
    void rotationMakesTheCacheCheaper() {
        assertTrue(KL.get("w4a4+kv4") > KL.get("w4a4+rot+kv4"), KL.toString());
        assertTrue(KL.get("fp32+kv4") > KL.get("fp32+rot+kv4"), KL.toString());
    }

    @Test
    void r3SpreadsTheKeyOutliersBeforeRounding() {
        assertTrue(KL.get("k4") > 2 * KL.get("k4+r3"), KL.toString());
    }
}
