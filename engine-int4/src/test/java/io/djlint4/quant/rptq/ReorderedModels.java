package io.djlint4.quant.rptq;

import io.djlint4.model.Architecture;
import io.djlint4.model.LayerWeights;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.model.RandomWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small random models with outlier channels, and calibration sequences, for reorder tests. */
final class ReorderedModels {

    static final int[] NORM_OUTLIERS = {3, 17};
    static final float OUTLIER = 50f;

    private ReorderedModels() {}

    static ModelConfig config(Architecture arch, int heads, int kvHeads, boolean tied, boolean bias, boolean qkNorm) {
        return new ModelConfig(arch, 32, 48, 2, heads, kvHeads, 8, 61, 1e-6, 1e4, null, 64, tied, bias, qkNorm, 1, new int[] {2});
    }

    /** Random weights whose MLP norm boosts two channels and whose values boost one channel. */
    static ModelWeights weights(ModelConfig c, long seed) {
        ModelWeights base = RandomWeights.of(c, seed);
        int h = c.hiddenSize();
        LayerWeights[] layers = new LayerWeights[c.numLayers()];
        for (int l = 0; l < layers.length; l++) {
            LayerWeights w = base.layers()[l];
            float[] ffnNorm = w.ffnNorm().clone();
            for (int ch : NORM_OUTLIERS) {
                ffnNorm[ch] *= OUTLIER;
            }
            float[] wv = w.wv().clone();
            for (int j = 0; j < h; j++) {
                wv[5 * h + j] *= OUTLIER;
            }
            layers[l] =
                    new LayerWeights(
                            w.attnNorm(), w.wq(), w.wk(), wv, w.wo(), w.bq(), w.bk(), w.bv(), w.qNorm(), w.kNorm(),
                            ffnNorm, w.wGate(), w.wUp(), w.wDown());
        }
        return new ModelWeights(c, base.tokenEmbedding(), layers, base.finalNorm(), base.lmHead());
    }

    static List<long[]> sequences(int count, int length, int vocab, long seed) {
        Random rnd = new Random(seed);
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(rnd.longs(length, 0, vocab).toArray());
        }
        return out;
    }
}
