package io.djlint4.quant.rotation;

import io.djlint4.model.LayerWeights;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import java.util.Arrays;

/**
 * Offline preparation of a rotated model (§3.3 of ALGORITHMS.md), in float64 with one rounding to
 * float32 per weight: RMSNorm gains folded into the consuming projections, the residual stream
 * rotated by R1 (embedding, every projection reading or writing the residual, the classifier), the
 * values and attention output rotated per head by R2, and the inverse of the online R4 folded into
 * {@code down_proj}. The result computes the original function when the caller applies R4 to
 * every {@code down_proj} input at run time.
 */
public final class RotationFusion {

    private RotationFusion() {}

    /**
     * Folds every RMSNorm gain into the projections that read the norm's output and sets the
     * gains to 1; an embedding tied to the classifier is untied first.
     *
     * @param w the weights (not modified)
     * @return weights with unit norm gains
     */
    public static ModelWeights foldNorms(ModelWeights w) {
        ModelConfig c = w.config();
        int h = c.hiddenSize();
        LayerWeights[] layers = new LayerWeights[w.layers().length];
        for (int l = 0; l < layers.length; l++) {
            LayerWeights lw = w.layers()[l];
            layers[l] =
                    new LayerWeights(
                            ones(h),
                            scaleColumns(lw.wq(), lw.attnNorm()),
                            scaleColumns(lw.wk(), lw.attnNorm()),
                            scaleColumns(lw.wv(), lw.attnNorm()),
                            lw.wo(),
                            lw.bq(),
                            lw.bk(),
                            lw.bv(),
                            lw.qNorm(),
                            lw.kNorm(),
                            ones(h),
                            scaleColumns(lw.wGate(), lw.ffnNorm()),
                            scaleColumns(lw.wUp(), lw.ffnNorm()),
                            lw.wDown());
        }
        return new ModelWeights(
                untied(c),
                w.tokenEmbedding(),
                layers,
                ones(h),
                scaleColumns(w.lmHead(), w.finalNorm()),
                w.ropeInverseFrequencies());
    }

    /**
     * Rotates norm-folded weights.
     *
     * @param w weights from {@link #foldNorms} (not modified)
     * @param r1 the residual rotation, order {@code hidden}
     * @param r2 the per-head rotation of values, order {@code headDim}, or {@code null}
     * @param r4 the rotation applied online to {@code down_proj} inputs, order {@code
     *     intermediate}, or {@code null}
     * @param headMix the rotation applied online to {@code o_proj} inputs after R2 (QuaRot's
     *     head-mix, {@link HeadMix}), order {@code heads × headDim}, or {@code null}
     * @return the rotated weights
     */
    public static ModelWeights rotate(ModelWeights w, Rotation r1, Rotation r2, Rotation r4, Rotation headMix) {
        ModelConfig c = w.config();
        int h = c.hiddenSize();
        requireOrder(r1, h, "R1");
        requireOrder(r2, c.headDim(), "R2");
        requireOrder(r4, c.intermediateSize(), "R4");
        requireOrder(headMix, c.qDim(), "head-mix");
        LayerWeights[] layers = new LayerWeights[w.layers().length];
        for (int l = 0; l < layers.length; l++) {
            LayerWeights lw = w.layers()[l];
            float[] wv = rotateRows(lw.wv(), h, r1);
            float[] bv = lw.bv();
            float[] wo = rotateColumns(lw.wo(), h, c.qDim(), r1);
            if (r2 != null) {
                wv = rotateHeadColumns(wv, c.numKvHeads(), c.headDim(), h, r2);
                bv = bv == null ? null : rotateBlocks(bv, c.headDim(), r2);
                wo = rotateBlocks(wo, c.headDim(), r2);
            }
            if (headMix != null) {
                wo = rotateRows(wo, c.qDim(), headMix);
            }
            float[] down = rotateColumns(lw.wDown(), h, c.intermediateSize(), r1);
            if (r4 != null) {
                down = rotateRows(down, c.intermediateSize(), r4);
            }
            layers[l] =
                    new LayerWeights(
                            lw.attnNorm(),
                            rotateRows(lw.wq(), h, r1),
                            rotateRows(lw.wk(), h, r1),
                            wv,
                            wo,
                            lw.bq(),
                            lw.bk(),
                            bv,
                            lw.qNorm(),
                            lw.kNorm(),
                            lw.ffnNorm(),
                            rotateRows(lw.wGate(), h, r1),
                            rotateRows(lw.wUp(), h, r1),
                            down);
        }
        return new ModelWeights(
                c,
                rotateRows(w.tokenEmbedding(), h, r1),
                layers,
                w.finalNorm(),
                rotateRows(w.lmHead(), h, r1),
                w.ropeInverseFrequencies());
    }

    private static void requireOrder(Rotation r, int n, String name) {
        if (r != null && r.size() != n) {
            throw new IllegalArgumentException(name + " has order " + r.size() + ", the model needs " + n);
        }
    }

    private static ModelConfig untied(ModelConfig c) {
        return new ModelConfig(
                c.architecture(), c.hiddenSize(), c.intermediateSize(), c.numLayers(), c.numHeads(),
                c.numKvHeads(), c.headDim(), c.vocabSize(), c.rmsNormEps(), c.ropeTheta(), c.ropeScaling(),
                c.maxPositionEmbeddings(), false, c.attentionBias(), c.qkNorm(), c.bosTokenId(),
                c.eosTokenIds());
    }

    private static float[] ones(int n) {
        float[] a = new float[n];
        Arrays.fill(a, 1f);
        return a;
    }

    /** {@code W·diag(g)}: column j of W scaled by g[j]. */
    private static float[] scaleColumns(float[] w, float[] g) {
        int cols = g.length;
        float[] out = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = (float) ((double) w[i] * g[i % cols]);
        }
        return out;
    }

    /** {@code W·M} for a row-major matrix with {@code cols = M.size()} columns. */
    private static float[] rotateRows(float[] w, int cols, Rotation m) {
        double[] row = new double[cols];
        float[] out = new float[w.length];
        for (int r = 0; r < w.length / cols; r++) {
            for (int j = 0; j < cols; j++) {
                row[j] = w[r * cols + j];
            }
            m.rotate(row, 0);
            for (int j = 0; j < cols; j++) {
                out[r * cols + j] = (float) row[j];
            }
        }
        return out;
    }

    /** {@code Mᵀ·W} for a row-major {@code [rows, cols]} matrix with {@code rows = M.size()}. */
    private static float[] rotateColumns(float[] w, int rows, int cols, Rotation m) {
        double[] col = new double[rows];
        float[] out = new float[w.length];
        for (int j = 0; j < cols; j++) {
            for (int r = 0; r < rows; r++) {
                col[r] = w[r * cols + j];
            }
            m.rotate(col, 0);
            for (int r = 0; r < rows; r++) {
                out[r * cols + j] = (float) col[r];
            }
        }
        return out;
    }

    /** {@code R2ᵀ·W[h]} for every head's block of rows of a {@code [heads*headDim, cols]} matrix. */
    private static float[] rotateHeadColumns(float[] w, int heads, int headDim, int cols, Rotation m) {
        double[] v = new double[headDim];
        float[] out = w.clone();
        for (int h = 0; h < heads; h++) {
            for (int j = 0; j < cols; j++) {
                for (int i = 0; i < headDim; i++) {
                    v[i] = w[(h * headDim + i) * cols + j];
                }
                m.rotate(v, 0);
                for (int i = 0; i < headDim; i++) {
                    out[(h * headDim + i) * cols + j] = (float) v[i];
                }
            }
        }
        return out;
    }

    /** Every consecutive block of {@code block} values (a head's slice of a row) times M. */
    private static float[] rotateBlocks(float[] w, int block, Rotation m) {
        double[] v = new double[block];
        float[] out = new float[w.length];
        for (int b = 0; b < w.length / block; b++) {
            for (int i = 0; i < block; i++) {
                v[i] = w[b * block + i];
            }
            m.rotate(v, 0);
            for (int i = 0; i < block; i++) {
                out[b * block + i] = (float) v[i];
            }
        }
        return out;
    }
}
