package io.djlint4.quant.rptq;

import io.djlint4.model.LayerWeights;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;

/**
 * Fuses a {@link ReorderPlan} into the weights (§7.2, §7.3): every projection's columns follow
 * the order its input arrives in; value rows (and bias) are permuted per key/value head, which
 * permutes every query head's attention output the same way; gate and up rows are permuted
 * together, which permutes the SwiGLU product. Query and key rows stay in rope layout and the
 * residual stream, embedding, norms and classifier keep their order. The result computes the
 * original function when the q/k/v and gate/up inputs are gathered by the plan at run time
 * ({@link LayerReorder#gathersInput}).
 */
public final class ReorderFusion {

    private ReorderFusion() {}

    /**
     * Reorders the weights.
     *
     * @param w the weights (not modified)
     * @param plan the reorders, one set per layer
     * @return the reordered weights
     */
    public static ModelWeights apply(ModelWeights w, ReorderPlan plan) {
        ModelConfig c = w.config();
        plan.requireShape(c);
        int h = c.hiddenSize();
        int inter = c.intermediateSize();
        LayerWeights[] layers = new LayerWeights[w.layers().length];
        for (int l = 0; l < layers.length; l++) {
            LayerWeights lw = w.layers()[l];
            LayerReorder r = plan.layer(l);
            int[] qkv = r.qkv().perm();
            int[] values = r.values().perm();
            int[] gateUp = r.gateUp().perm();
            int[] down = r.down().perm();
            layers[l] =
                    new LayerWeights(
                            lw.attnNorm(),
                            permuteColumns(lw.wq(), h, qkv),
                            permuteColumns(lw.wk(), h, qkv),
                            permuteRows(permuteColumns(lw.wv(), h, qkv), h, values),
                            permuteColumns(lw.wo(), c.qDim(), r.o().perm()),
                            lw.bq(),
                            lw.bk(),
                            lw.bv() == null ? null : permuteRows(lw.bv(), 1, values),
                            lw.qNorm(),
                            lw.kNorm(),
                            lw.ffnNorm(),
                            permuteRows(permuteColumns(lw.wGate(), h, gateUp), h, down),
                            permuteRows(permuteColumns(lw.wUp(), h, gateUp), h, down),
                            permuteColumns(lw.wDown(), inter, down));
        }
        return new ModelWeights(
                c, w.tokenEmbedding(), layers, w.finalNorm(), w.lmHead(), w.ropeInverseFrequencies());
    }

    /** {@code W'[:, j] = W[:, perm[j]]} for a row-major matrix of {@code cols} columns. */
    private static float[] permuteColumns(float[] w, int cols, int[] perm) {
        float[] out = new float[w.length];
        for (int off = 0; off < w.length; off += cols) {
            for (int j = 0; j < cols; j++) {
                out[off + j] = w[off + perm[j]];
            }
        }
        return out;
    }

    /** {@code W'[j, :] = W[perm[j], :]} for a row-major matrix of {@code cols} columns. */
    private static float[] permuteRows(float[] w, int cols, int[] perm) {
        float[] out = new float[w.length];
        for (int j = 0; j < perm.length; j++) {
            System.arraycopy(w, perm[j] * cols, out, j * cols, cols);
        }
        return out;
    }
}
