package io.djlint4.quant;

import io.djlint4.model.Architecture;
import io.djlint4.model.LayerWeights;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.model.RandomWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A random Llama with the activation pathologies the quantization methods exist for: a few input
 * channels of the o_proj, gate/up and down_proj inputs (where Runtime Smooth applies) scaled up
 * 50×, and "massive activation" tokens whose embedding has one huge channel, which every input
 * read from the residual stream inherits. The consuming weight columns are left as they are: in real models outlier
 * channels meet ordinary weights, and shrinking the columns would hand weight quantization an
 * advantage that real models do not give.
 */
final class OutlierModel {

    static final ModelConfig CONFIG =
            new ModelConfig(Architecture.LLAMA, 512, 1024, 2, 8, 4, 64, 97, 1e-5, 1e4, null, 256, false, false, false, 1, new int[] {2});

    static final float OUTLIER = 50f;
    static final int[] MASSIVE_TOKENS = {1, 2};

    private OutlierModel() {}

    static ModelWeights weights(long seed) {
        ModelWeights base = RandomWeights.of(CONFIG, seed);
        int h = CONFIG.hiddenSize();
        int hd = CONFIG.headDim();
        LayerWeights[] layers = new LayerWeights[base.layers().length];
        for (int l = 0; l < layers.length; l++) {
            LayerWeights w = base.layers()[l];
            float[] wv = w.wv().clone();
            float[] ffnNorm = w.ffnNorm().clone();
            float[] up = w.wUp().clone();
            for (int c : new int[] {10, 90}) {
                ffnNorm[c] *= OUTLIER;
            }
            // Value channel (kv head 1, dim 5) 50x: every query head reading it sees 50x in o_proj's input.
            scaleRow(wv, h, hd + 5, OUTLIER);
            for (int c : new int[] {7, 200}) {
                scaleRow(up, h, c, OUTLIER);
            }
            layers[l] =
                    new LayerWeights(w.attnNorm(), w.wq(), w.wk(), wv, w.wo(), null, null, null, null, null, ffnNorm, w.wGate(), up, w.wDown());
        }
        float[] embedding = base.tokenEmbedding().clone();
        for (int t : MASSIVE_TOKENS) {
            embedding[t * h + 5] = 300f;
        }
        return new ModelWeights(CONFIG, embedding, layers, base.finalNorm(), base.lmHead());
    }

    /** Windows that start with a massive token (as BOS does) and contain the other one. */
    static List<long[]> windows(int count, int length, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long[] w = rnd.longs(length, 3, CONFIG.vocabSize()).toArray();
            w[0] = MASSIVE_TOKENS[0];
            out.add(w);
        }
        return out;
    }

    private static void scaleRow(float[] w, int cols, int r, float f) {
        for (int c = 0; c < cols; c++) {
            w[r * cols + c] *= f;
        }
    }
}
