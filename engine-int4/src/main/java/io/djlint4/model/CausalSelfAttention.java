package io.djlint4.model;

import io.djlint4.kernels.FloatDots;
import io.djlint4.kernels.KernelThreads;

/**
 * Scaled dot-product attention of new queries over a layer's cache, causal within the new tokens
 * and honouring the attention mask on every position (past ones included, for left padding).
 * Grouped-query attention maps query head {@code h} to key/value head {@code h / (heads /
 * kvHeads)}.
 */
final class CausalSelfAttention {

    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final float scale;

    CausalSelfAttention(int heads, int kvHeads, int headDim) {
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.scale = (float) (1.0 / Math.sqrt(headDim));
    }

    /**
     * Computes the attention output.
     *
     * @param q queries {@code [batch, seqLen, heads*headDim]}, after rope
     * @param keys the cache keys {@code [batch, kvHeads, total, headDim]} including this call's
     * @param values the cache values, same layout
     * @param batch the number of sequences
     * @param seqLen the number of new tokens per sequence
     * @param total past plus new positions
     * @param mask {@code [batch, total]} (0 = padding) or {@code null}
     * @param out receives {@code [batch, seqLen, heads*headDim]}
     */
    void apply(
            float[] q,
            float[] keys,
            float[] values,
            int batch,
            int seqLen,
            int total,
            long[] mask,
            float[] out) {
        int past = total - seqLen;
        int group = heads / kvHeads;
        int qStride = heads * headDim;
        KernelThreads.parallelFor(
                batch * heads,
                1,
                (from, to) -> {
                    float[] scores = new float[total];
                    for (int unit = from; unit < to; unit++) {
                        int b = unit / heads;
                        int h = unit % heads;
                        int kvBase = (b * kvHeads + h / group) * total * headDim;
                        for (int s = 0; s < seqLen; s++) {
                            int qOff = (b * seqLen + s) * qStride + h * headDim;
                            attendOne(q, qOff, keys, values, kvBase, past + s + 1, mask, b * total, scores, out);
                        }
                    }
                });
    }

    private void attendOne(
            float[] q,
            int qOff,
            float[] keys,
            float[] values,
            int kvBase,
            int visible,
            long[] mask,
            int maskOff,
            float[] scores,
            float[] out) {
        dotWithKeys(q, qOff, keys, kvBase, visible, scores);
        float max = Float.NEGATIVE_INFINITY;
        for (int t = 0; t < visible; t++) {
            if (mask != null && mask[maskOff + t] == 0) {
                scores[t] = Float.NEGATIVE_INFINITY;
                continue;
            }
            float sc = scores[t] * scale;
            scores[t] = sc;
            if (sc > max) {
                max = sc;
            }
        }
        for (int i = 0; i < headDim; i++) {
            out[qOff + i] = 0f;
        }
        // A query whose every visible position is padding (a left-padded row) has nothing to
        // attend to; it stays zero and its outputs are ignored by the caller.
        if (max == Float.NEGATIVE_INFINITY) {
            return;
        }
        float sum = 0f;
        for (int t = 0; t < visible; t++) {
            float e = scores[t] == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp(scores[t] - max);
            scores[t] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int t = 0; t < visible; t++) {
            float p = scores[t] * inv;
            if (p == 0f) {
                continue;
            }
            int vOff = kvBase + t * headDim;
            for (int i = 0; i < headDim; i++) {
                out[qOff + i] += p * values[vOff + i];
            }
        }
    }

    /** Writes {@code q · key_t} for every visible position t, four keys per pass sharing the query's loads. */
    private void dotWithKeys(float[] q, int qOff, float[] keys, int kvBase, int visible, float[] scores) {
        int t = 0;
        for (; t + 4 <= visible; t += 4) {
            FloatDots.dot4(q, qOff, keys, kvBase + t * headDim, headDim, headDim, scores, t);
        }
        for (; t < visible; t++) {
            scores[t] = FloatDots.dot(q, qOff, keys, kvBase + t * headDim, headDim);
        }
    }
}
