package io.djlint4.kernels;

/**
 * The value half of attention for one query: {@code out[i] = Σ_t p[t] · v_t[i]} over a head's
 * cached values, position-major. Each output is summed exactly as the plain loop {@code out[i] +=
 * p[t] * v[t][i]} sums it (product rounded, then added in order of {@code t}, no fused
 * multiply-add), so the Vector API path and the scalar one agree bit for bit. Positions whose
 * weight is exactly 0 are skipped, as they add nothing.
 */
public final class ValueSums {

    private static final VectorValueSums VECTOR_OR_NULL = VectorSupport.isAvailable() ? new VectorValueSums() : null;

    private ValueSums() {}

    /**
     * Writes {@code out[outOff + i] = Σ_{t < positions} p[t] · values[vOff + t * headDim + i]}.
     *
     * @param p the weight of each position
     * @param positions the number of positions
     * @param values the values, position-major
     * @param vOff the index of position 0's first value
     * @param headDim the value length
     * @param out receives the sums
     * @param outOff the index of the first sum
     */
    public static void sum(float[] p, int positions, float[] values, int vOff, int headDim, float[] out, int outOff) {
        int i0 = VECTOR_OR_NULL == null ? 0 : VECTOR_OR_NULL.sum(p, positions, values, vOff, headDim, out, outOff);
        for (int i = i0; i < headDim; i++) {
            out[outOff + i] = 0f;
        }
        if (i0 == headDim) {
            return;
        }
        for (int t = 0; t < positions; t++) {
            float w = p[t];
            if (w == 0f) {
                continue;
            }
            int v = vOff + t * headDim;
            for (int i = i0; i < headDim; i++) {
                out[outOff + i] += w * values[v + i];
            }
        }
    }
}
