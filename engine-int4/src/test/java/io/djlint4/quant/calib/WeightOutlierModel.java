package io.djlint4.quant.calib;

import io.djlint4.model.Architecture;
import io.djlint4.model.LayerWeights;
import io.djlint4.model.LinearKind;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.model.RandomWeights;

/**
 * A random Llama for weight-only quantization with the pattern AdaDim targets: in layer 0 a few
 * input channels of every projection carry activations {@value #ACTIVATION}× larger than the rest
 * while the weight columns that read them are {@value #COLUMN_SHRINK}× smaller (real models pair
 * outlier activations with small weights, keeping the products bounded). Per-OC groups give those
 * small columns the step size of the whole row, and the large activations amplify the rounding
 * error; per-IC groups fit them on their own. Layer 1 instead has output-row outliers in k_proj and
 * o_proj, {@value #ROW}× larger rows, which spoil every per-IC group they fall in, so per-OC suits
 * those projections.
 */
public final class WeightOutlierModel {

    /** hidden 256, intermediate 512, 2 layers, 4 heads over 2 KV heads of 64, vocabulary 97. */
    public static final ModelConfig CONFIG =
            new ModelConfig(Architecture.LLAMA, 256, 512, 2, 4, 2, 64, 97, 1e-5, 1e4, null, 256, false, false, false, 1, new int[] {2});

    static final float ACTIVATION = 30f;
    static final float COLUMN_SHRINK = 10f;
    static final float ROW = 20f;

    /** Residual-stream channels with outlier activations in layer 0 (inputs of q/k/v and gate/up). */
    static final int[] HIDDEN_CHANNELS = {3, 77, 200};
    /** Value rows (kv head 0, dims 5 and 40) whose outputs become outlier o_proj input channels. */
    static final int[] VALUE_ROWS = {5, 40};
    /** Intermediate channels with outlier down_proj inputs in layer 0. */
    static final int[] INTERMEDIATE_CHANNELS = {11, 300, 451};
    /** Output rows scaled up in layer 1's k_proj and o_proj. */
    static final int[] OUTLIER_ROWS = {9, 100};

    private WeightOutlierModel() {}

    /**
     * Creates the weights.
     *
     * @param seed the random seed
     * @return the weights
     */
    public static ModelWeights weights(long seed) {
        ModelConfig c = CONFIG;
        ModelWeights base = RandomWeights.of(c, seed);
        LayerWeights[] layers = base.layers().clone();
        layers[0] = inputOutliers(layers[0]);
        layers[1] = rowOutliers(layers[1]);
        return new ModelWeights(c, base.tokenEmbedding(), layers, base.finalNorm(), base.lmHead());
    }

    private static LayerWeights inputOutliers(LayerWeights w) {
        ModelConfig c = CONFIG;
        int h = c.hiddenSize();
        int inter = c.intermediateSize();
        float[] attnNorm = w.attnNorm().clone();
        float[] ffnNorm = w.ffnNorm().clone();
        float[] wq = w.wq().clone();
        float[] wk = w.wk().clone();
        float[] wv = w.wv().clone();
        float[] wo = w.wo().clone();
        float[] gate = w.wGate().clone();
        float[] up = w.wUp().clone();
        float[] down = w.wDown().clone();
        for (int ch : HIDDEN_CHANNELS) {
            attnNorm[ch] *= ACTIVATION;
            ffnNorm[ch] *= ACTIVATION;
            for (float[] m : new float[][] {wq, wk, wv, gate, up}) {
                scaleColumn(m, h, ch, 1 / COLUMN_SHRINK);
            }
        }
        int groupHeads = c.numHeads() / c.numKvHeads();
        for (int d : VALUE_ROWS) {
            scaleRow(wv, h, d, ACTIVATION);
            // Query heads 0..groupHeads-1 read kv head 0: their outputs at dim d are the outliers.
            for (int qh = 0; qh < groupHeads; qh++) {
                scaleColumn(wo, c.qDim(), qh * c.headDim() + d, 1 / COLUMN_SHRINK);
            }
        }
        for (int ch : INTERMEDIATE_CHANNELS) {
            scaleRow(up, h, ch, ACTIVATION);
            scaleColumn(down, inter, ch, 1 / COLUMN_SHRINK);
        }
        return new LayerWeights(attnNorm, wq, wk, wv, wo, null, null, null, null, null, ffnNorm, gate, up, down);
    }

    private static LayerWeights rowOutliers(LayerWeights w) {
        ModelConfig c = CONFIG;
        float[] wk = w.wk().clone();
        float[] wo = w.wo().clone();
        for (int r : OUTLIER_ROWS) {
            scaleRow(wk, c.hiddenSize(), r, ROW);
            scaleRow(wo, c.qDim(), r, ROW);
        }
        return w.withWeight(LinearKind.K, wk).withWeight(LinearKind.O, wo);
    }

    private static void scaleRow(float[] w, int cols, int r, float f) {
        for (int col = 0; col < cols; col++) {
            w[r * cols + col] *= f;
        }
    }

    private static void scaleColumn(float[] w, int cols, int col, float f) {
        for (int r = 0; r < w.length / cols; r++) {
            w[r * cols + col] *= f;
        }
    }
}
