package io.djlint4.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenSamplerTest {

    private static final float[] LOGITS = {1f, 3f, 2f, 0.5f, 2.9f};

    @Test
    void nonFiniteLogitsAreAnErrorNotTokenZero() {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[] logits = {bad, 1f, bad};
            for (SamplingConfig c : new SamplingConfig[] {SamplingConfig.GREEDY, new SamplingConfig(1.0, 0, 1, 1, 3)}) {
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> new TokenSampler(c).next(logits, 0, 3, new int[0], 0));
                assertTrue(e.getMessage().startsWith("the model computed a non-finite logit (" + bad + " for token 0)"),
                        e.getMessage());
            }
        }
    }

    @Test
    void greedyPicksArgMax() {
        assertEquals(1, new TokenSampler(SamplingConfig.GREEDY).next(LOGITS, 0, 5, new int[0], 0));
    }

    @Test
    void repetitionPenaltyCanChangeTheGreedyChoice() {
        TokenSampler s = new TokenSampler(new SamplingConfig(0, 0, 1, 1.2, 0));
        assertEquals(4, s.next(LOGITS, 0, 5, new int[] {1}, 1));
        assertEquals(1, s.next(LOGITS, 0, 5, new int[] {1}, 0));
    }

    @Test
    void topKOfOneIsGreedyWhateverTheTemperature() {
        TokenSampler s = new TokenSampler(new SamplingConfig(5.0, 1, 1, 1, 42));
        for (int i = 0; i < 50; i++) {
            assertEquals(1, s.next(LOGITS, 0, 5, new int[0], 0));
        }
    }

    @Test
    void topPRestrictsToTheNucleus() {
        // At temperature 1 tokens 1 and 4 have probabilities 0.40 and 0.36: together they are
        // the smallest set reaching 0.7.
        TokenSampler s = new TokenSampler(new SamplingConfig(1.0, 0, 0.7, 1, 3));
        boolean[] seen = new boolean[5];
        for (int i = 0; i < 200; i++) {
            int t = s.next(LOGITS, 0, 5, new int[0], 0);
            assertTrue(t == 1 || t == 4, "token " + t + " is outside the 0.7 nucleus {1, 4}");
            seen[t] = true;
        }
        assertTrue(seen[1] && seen[4], "both nucleus tokens are drawn");
    }

    @Test
    void samplingFollowsTheDistributionAndTheSeed() {
        int[] counts = new int[5];
        TokenSampler s = new TokenSampler(new SamplingConfig(1.0, 0, 1, 1, 7));
        int n = 20000;
        for (int i = 0; i < n; i++) {
            counts[s.next(LOGITS, 0, 5, new int[0], 0)]++;
        }
        double z = 0;
        for (float l : LOGITS) {
            z += Math.exp(l);
        }
        for (int t = 0; t < 5; t++) {
            double expected = Math.exp(LOGITS[t]) / z;
            assertEquals(expected, counts[t] / (double) n, 0.02, "token " + t);
        }
        int[] a = draw(11);
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(draw(11)));
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(draw(12)));
    }

    @Test
    void rejectsOutOfRangeSettings() {
        assertThrows(IllegalArgumentException.class, () -> new SamplingConfig(-1, 0, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingConfig(1, -2, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingConfig(1, 0, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingConfig(1, 0, 1, 0, 0));
    }

    private static int[] draw(long seed) {
        TokenSampler s = new TokenSampler(new SamplingConfig(1.0, 0, 1, 1, seed));
        int[] out = new int[40];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.next(LOGITS, 0, 5, new int[0], 0);
        }
        return out;
    }
}
