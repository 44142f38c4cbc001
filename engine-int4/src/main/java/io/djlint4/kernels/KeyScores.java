package io.djlint4.kernels;

/**
 * Attention scores {@code q · k_t} of a query against one head's keys. Keys laid out
 * dimension-major (by {@link #transpose} for a prompt, or as a sequence cache keeps them) give one
 * vector of positions per step; position-major keys (DJL's cache layout) are summed a few
 * positions side by side. Every score is summed exactly as the plain loop {@code s += q[i] * k[i]}
 * sums it (products rounded, then added in order of {@code i}, no fused multiply-add), so all
 * paths agree bit for bit.
 */
public final class KeyScores {

    private static final VectorKeyScores VECTOR_OR_NULL = VectorSupport.isAvailable() ? new VectorKeyScores() : null;

    private KeyScores() {}

    /**
     * Lays out {@code positions} keys dimension-major: {@code kT[i * positions + t] = keys[base + t
     * * headDim + i]}.
     *
     * @param keys the cache keys
     * @param base the index of position 0's first value
     * @param positions the number of positions
     * @param headDim the key length
     * @param kT receives {@code headDim * positions} values
     */
    public static void transpose(float[] keys, int base, int positions, int headDim, float[] kT) {
        for (int t = 0; t < positions; t++) {
            int src = base + t * headDim;
            for (int i = 0; i < headDim; i++) {
                kT[i * positions + t] = keys[src + i];
            }
        }
    }

    /**
     * Writes {@code scores[t] = Σ_i q[qOff + i] · k_t[i]} for {@code t < visible}.
     *
     * @param q the queries
     * @param qOff the index of this query's first value
     * @param kT keys laid out by {@link #transpose} for {@code positions} positions
     * @param positions the positions {@code kT} holds
     * @param visible the positions to score, at most {@code positions}
     * @param headDim the key length
     * @param scores receives the scores
     */
    public static void scores(float[] q, int qOff, float[] kT, int positions, int visible, int headDim, float[] scores) {
        scores(q, qOff, kT, 0, positions, visible, headDim, scores);
    }

    /**
     * Like {@link #scores(float[], int, float[], int, int, int, float[])} on keys held
     * dimension-major inside a larger array, such as a cache with room for more positions:
     * dimension {@code i} of position {@code t} is {@code kT[kOff + i * stride + t]}.
     *
     * @param q the queries
     * @param qOff the index of this query's first value
     * @param kT the keys, dimension-major
     * @param kOff the index of dimension 0 of position 0
     * @param stride the distance between dimensions, at least {@code visible}
     * @param visible the positions to score
     * @param headDim the key length
     * @param scores receives the scores
     */
    public static void scores(
            float[] q, int qOff, float[] kT, int kOff, int stride, int visible, int headDim, float[] scores) {
        int t0 = VECTOR_OR_NULL == null ? 0 : VECTOR_OR_NULL.scores(q, qOff, kT, kOff, stride, visible, headDim, scores);
        // Dimension outer: each step reads a contiguous run of kT (position inner read one value
        // per cache line); every score still sums over i in order, as the vector path does.
        for (int t = t0; t < visible; t++) {
            scores[t] = 0f;
        }
        for (int i = 0; i < headDim; i++) {
            float qi = q[qOff + i];
            int row = kOff + i * stride;
            for (int t = t0; t < visible; t++) {
                scores[t] += qi * kT[row + t];
            }
        }
    }

    /**
     * Writes {@code scores[t] = Σ_i q[qOff + i] · keys[kOff + t * headDim + i]} for {@code t <
     * visible}, keys position-major as a cache holds them. Four positions are summed side by side
     * (each still over i in order), so the additions of one position do not wait on each other's
     * latency alone.
     *
     * @param q the queries
     * @param qOff the index of this query's first value
     * @param keys the keys, position-major
     * @param kOff the index of position 0's first value
     * @param visible the positions to score
     * @param headDim the key length
     * @param scores receives the scores
     */
    public static void scoresPositionMajor(
            float[] q, int qOff, float[] keys, int kOff, int visible, int headDim, float[] scores) {
        int t = 0;
        for (; t + 4 <= visible; t += 4) {
            int k0 = kOff + t * headDim;
            int k1 = k0 + headDim;
            int k2 = k1 + headDim;
            int k3 = k2 + headDim;
            float s0 = 0f;
            float s1 = 0f;
            float s2 = 0f;
            float s3 = 0f;
            for (int i = 0; i < headDim; i++) {
                float qi = q[qOff + i];
                s0 += qi * keys[k0 + i];
                s1 += qi * keys[k1 + i];
                s2 += qi * keys[k2 + i];
                s3 += qi * keys[k3 + i];
            }
            scores[t] = s0;
            scores[t + 1] = s1;
            scores[t + 2] = s2;
            scores[t + 3] = s3;
        }
        for (; t < visible; t++) {
            int k = kOff + t * headDim;
            float s = 0f;
            for (int i = 0; i < headDim; i++) {
                s += q[qOff + i] * keys[k + i];
            }
            scores[t] = s;
        }
    }
}
