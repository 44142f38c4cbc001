package io.djlint4.model;

import io.djlint4.kernels.KernelThreads;
import io.djlint4.kernels.KeyScores;
import io.djlint4.kernels.ValueSums;
import java.util.List;

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
                    float[] keysByDim = seqLen > 1 ? new float[total * headDim] : null;
                    int laidOut = -1;
                    for (int unit = from; unit < to; unit++) {
                        int b = unit / heads;
                        int h = unit % heads;
                        int kvBase = (b * kvHeads + h / group) * total * headDim;
                        // the query heads of one key/value head come one after another: lay its keys out once
                        if (keysByDim != null && kvBase != laidOut) {
                            KeyScores.transpose(keys, kvBase, total, headDim, keysByDim);
                            laidOut = kvBase;
                        }
                        for (int s = 0; s < seqLen; s++) {
                            int qOff = (b * seqLen + s) * qStride + h * headDim;
                            attendOne(q, qOff, keys, values, kvBase, past + s + 1, mask, b * total, scores, out,
                                    keysByDim, 0, total);
                        }
                    }
                });
    }

    /**
     * Computes the attention output of several sequences, each over its own cache, with the same
     * arithmetic as {@link #apply} gives the sequence alone.
     *
     * @param q queries of every sequence's new tokens, stacked {@code [rows, heads*headDim]}, after rope
     * @param steps the sequences in row order; each cache's layer arrays already hold this call's
     *     keys and values after its {@link SequenceKvCache#length()} positions
     * @param layer the layer whose cache arrays to read
     * @param out receives {@code [rows, heads*headDim]}
     */
    void applySequences(float[] q, List<SequenceStep> steps, int layer, float[] out) {
        int n = steps.size();
        int[] firstRow = new int[n];
        int longest = 0;
        for (int i = 0, row = 0; i < n; i++) {
            firstRow[i] = row;
            row += steps.get(i).length();
            longest = Math.max(longest, steps.get(i).cache().length() + steps.get(i).length());
        }
        int group = heads / kvHeads;
        int qStride = heads * headDim;
        int scoreLength = longest;
        KernelThreads.parallelFor(
                n * heads,
                1,
                (from, to) -> {
                    float[] scores = new float[scoreLength];
                    for (int unit = from; unit < to; unit++) {
                        SequenceStep step = steps.get(unit / heads);
                        int h = unit % heads;
                        SequenceKvCache cache = step.cache();
                        int capacity = cache.capacity();
                        // a key/value head's block holds capacity × headDim floats in either layout
                        int base = (h / group) * capacity * headDim;
                        int past = cache.length();
                        for (int s = 0; s < step.length(); s++) {
                            int qOff = (firstRow[unit / heads] + s) * qStride + h * headDim;
                            attendOne(q, qOff, null, cache.values(layer), base, past + s + 1, null, 0,
                                    scores, out, cache.keys(layer), base, capacity);
                        }
                    }
                });
    }

    /**
     * Attends one query row over {@code visible} positions. Keys come either position-major
     * ({@code keys} from {@code kvBase}) or dimension-major ({@code
     * keysByDim} from {@code keyOff}, {@code stride} apart per dimension: a prompt's keys laid out
     * by {@link KeyScores#transpose}, or a {@link SequenceKvCache}'s own), whose scores equal the
     * plain loop's bit for bit. Values are position-major from {@code kvBase}.
     */
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
            float[] out,
            float[] keysByDim,
            int keyOff,
            int stride) {
        if (keysByDim != null) {
            KeyScores.scores(q, qOff, keysByDim, keyOff, stride, visible, headDim, scores);
        } else {
            KeyScores.scoresPositionMajor(q, qOff, keys, kvBase, visible, headDim, scores);
        }
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
        // A query whose every visible position is padding (a left-padded row) has nothing to
        // attend to; it stays zero and its outputs are ignored by the caller.
        if (max == Float.NEGATIVE_INFINITY) {
            for (int i = 0; i < headDim; i++) {
                out[qOff + i] = 0f;
            }
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
            scores[t] *= inv;
        }
        ValueSums.sum(scores, visible, values, kvBase, headDim, out, qOff);
    }
}
