package io.djlint4.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Int4KvCacheTest {

    @ParameterizedTest
    @CsvSource({"2, 64, 128", "3, 8, 24", "1, 16, 4"})
    void appendedTokensDecodeWithinHalfAStepAndAttentionReadsMatch(int heads, int dim, int valueGroup) {
        Random rnd = new Random(heads * 100 + dim);
        int tokens = 9;
        int w = heads * dim;
        Int4KvCache cache = new Int4KvCache(heads, dim, 16, valueGroup);
        float[] k = TestArrays.gaussian(rnd, tokens * w);
        float[] v = TestArrays.gaussian(rnd, tokens * w);
        for (int t = 0; t < tokens; t++) {
            assertEquals(t, cache.append(k, t * w, v, t * w));
        }
        float[] kd = new float[dim];
        float[] vd = new float[tokens * w];
        for (int t = 0; t < tokens; t++) {
            for (int h = 0; h < heads; h++) {
                cache.readKey(t, h, kd, 0);
                float s = cache.keyScale(t, h);
                for (int i = 0; i < dim; i++) {
                    assertEquals(k[t * w + h * dim + i], kd[i], s / 2 * 1.0001f);
                }
                cache.readValue(t, h, vd, t * w + h * dim);
            }
            for (int g = 0; g < w / valueGroup; g++) {
                float amax = 0;
                for (int i = g * valueGroup; i < (g + 1) * valueGroup; i++) {
                    amax = Math.max(amax, Math.abs(v[t * w + i]));
                }
                for (int i = g * valueGroup; i < (g + 1) * valueGroup; i++) {
                    assertEquals(v[t * w + i], vd[t * w + i], amax / 14 * 1.0001f);
                }
            }
        }
        float[] q = TestArrays.gaussian(rnd, dim);
        float[] scores = new float[tokens];
        float[] weights = TestArrays.gaussian(rnd, tokens);
        for (int h = 0; h < heads; h++) {
            cache.keyScores(h, q, 0, 0, tokens, scores, 0);
            float[] acc = new float[dim];
            cache.accumulateValues(h, weights, 0, 0, tokens, acc, 0);
            for (int t = 0; t < tokens; t++) {
                cache.readKey(t, h, kd, 0);
                double dot = 0;
                for (int i = 0; i < dim; i++) {
                    dot += q[i] * (double) kd[i];
                }
                assertEquals(dot, scores[t], 1e-4);
            }
            for (int i = 0; i < dim; i++) {
                double sum = 0;
                for (int t = 0; t < tokens; t++) {
                    sum += weights[t] * (double) vd[t * w + h * dim + i];
                }
                assertEquals(sum, acc[i], 1e-4);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void fullCacheRejectsAppendAndTruncateFreesRoom() {
        Int4KvCache cache = new Int4KvCache(1, 4, 2);
        float[] row = {1, 2, 3, 4};
        cache.append(row, 0, row, 0);
        cache.append(row, 0, row, 0);
        assertThrows(IllegalStateException.class, () -> cache.append(row, 0, row, 0));
        cache.truncate(1);
        assertEquals(1, cache.append(row, 0, row, 0));
        assertEquals(2, cache.size());
    }
}
