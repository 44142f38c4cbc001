package io.djlint4.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class KlStatisticsTest {

    @Test
    void percentilesInterpolateAsLlamaCppDoes() {
        // Sorted: 0, 1, 2, ..., 10 (given shuffled); 11 values.
        double[] v = {5, 0, 10, 3, 7, 1, 9, 2, 8, 4, 6};
        KlStatistics s = KlStatistics.of(v);
        assertEquals(5.0, s.mean(), 1e-12);
        assertEquals(5.0, s.median(), 1e-12);
        // 0.99 x (11 - 1) = 9.9: 0.1 x 9 + 0.9 x 10
        assertEquals(9.9, s.p99(), 1e-9);
        assertEquals(9.0, s.p90(), 1e-9);
        assertEquals(9.5, s.p95(), 1e-9);
        assertEquals(9.99, s.p999(), 1e-9);
        assertEquals(10.0, s.max());
        assertEquals(5, v[0], "the input is not sorted in place");
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        KlStatistics s = KlStatistics.of(new double[] {0.4, 0.1, 0.3, 0.2});
        assertEquals(0.25, s.median(), 1e-12);
        assertEquals(0.25, s.mean(), 1e-12);
        // 0.9 x 3 = 2.7: 0.3 x 0.3 + 0.7 x 0.4
        assertEquals(0.37, s.p90(), 1e-12);
    }
}
