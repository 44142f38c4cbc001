package io.djlint4.quant.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

/**
 * Checks that a cache array {@code [batch, kvHeads, length, headDim]} holds values of a symmetric
 * 4-bit grid per group, reading each group's scale off its own values: at clip 1 the largest
 * magnitude of a group is code 7, so {@code s = max|x̂| / 7} and every {@code x̂ / s} must be an
 * integer in [-8, 7].
 */
final class KvGrid {

    private KvGrid() {}

    /**
     * Asserts the grid and returns the number of groups checked.
     *
     * @param perToken whether one group spans all KV heads of a token (else one per token and head)
     */
    static int assertOnGrid(float[] cache, int batch, int kvHeads, int length, int headDim, boolean perToken) {
        assertEquals((long) batch * kvHeads * length * headDim, cache.length);
        int groups = 0;
        int headsPerGroup = perToken ? kvHeads : 1;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < length; t++) {
                for (int h0 = 0; h0 < kvHeads; h0 += headsPerGroup) {
                    float amax = 0f;
                    for (int h = h0; h < h0 + headsPerGroup; h++) {
                        int base = ((b * kvHeads + h) * length + t) * headDim;
                        for (int i = 0; i < headDim; i++) {
                            amax = Math.max(amax, Math.abs(cache[base + i]));
                        }
                    }
                    double s = amax / 7.0;
                    Set<Long> codes = new HashSet<>();
                    for (int h = h0; h < h0 + headsPerGroup; h++) {
                        int base = ((b * kvHeads + h) * length + t) * headDim;
                        for (int i = 0; i < headDim; i++) {
                            double c = s == 0 ? 0 : cache[base + i] / s;
                            long code = Math.round(c);
                            assertTrue(Math.abs(c - code) < 1e-3 && code >= -8 && code <= 7,
                                    "value " + cache[base + i] + " at (b" + b + ", h" + h + ", t" + t + ", " + i
                                            + ") is " + c + " steps of " + s);
                            codes.add(code);
                        }
                    }
                    assertTrue(codes.size() <= 16, codes.toString());
                    groups++;
                }
            }
        }
        return groups;
    }
}
