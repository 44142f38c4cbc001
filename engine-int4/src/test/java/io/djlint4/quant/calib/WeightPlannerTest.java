package io.djlint4.quant.calib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The choice under a budget, on hand-made errors and bits. */
class WeightPlannerTest {

    /** Candidates coarsest first: bits grow, errors shrink. */
    private static final long[][] BITS = {{100, 120, 160}, {100, 120, 160}, {10, 12, 16}};

    private static final double[][] ERRORS = {{0.10, 0.05, 0.04}, {0.02, 0.019, 0.018}, {0.5, 0.1, 0.095}};

    @Test
    void startsAtTheCoarsestAndTakesTheBestSavingPerBitFirst() {
        assertArrayEquals(new int[] {0, 0, 0}, WeightPlanner.choose(ERRORS, BITS, 210));
        // projection 2's move saves 0.4 for 2 bits: the best per bit
        assertArrayEquals(new int[] {0, 0, 1}, WeightPlanner.choose(ERRORS, BITS, 212));
        // then projection 0: 0.05 for 20 bits
        assertArrayEquals(new int[] {1, 0, 1}, WeightPlanner.choose(ERRORS, BITS, 232));
        // everything at the finest when the budget allows it all
        assertArrayEquals(new int[] {2, 2, 2}, WeightPlanner.choose(ERRORS, BITS, 336));
    }

    @Test
    void neverSpendsMoreThanTheBudget() {
        for (long budget = 210; budget <= 340; budget++) {
            int[] chosen = WeightPlanner.choose(ERRORS, BITS, budget);
            long used = 0;
            for (int p = 0; p < chosen.length; p++) {
                used += BITS[p][chosen[p]];
            }
            assertEquals(true, used <= budget, "budget " + budget + " used " + used);
        }
    }

    @Test
    void aMoveThatSavesNothingIsNotTaken() {
        double[][] flat = {{0.1, 0.1, 0.1}};
        assertArrayEquals(new int[] {0}, WeightPlanner.choose(flat, new long[][] {{10, 12, 16}}, 100));
    }

    @Test
    void relativeErrorWeighsEachColumnByItsInputsMeanSquare() {
        float[] w = {1, 2, 3, 4};
        float[] q = {1.5f, 2, 3, 4};
        // column 0 carries all the input energy: 0.25 / (1 + 9)
        assertEquals(0.025, WeightPlanner.relativeError(w, q, 2, 2, new double[] {1, 0}), 1e-12);
        // column 1 carries it: no error there
        assertEquals(0.0, WeightPlanner.relativeError(w, q, 2, 2, new double[] {0, 1}), 0.0);
    }

    @Test
    void onlyTheListedGroupSizesCanStart() {
        assertEquals(32, WeightPlanner.CANDIDATE_GROUPS[WeightPlanner.startIndex(32)]);
        assertThrows(IllegalArgumentException.class, () -> WeightPlanner.startIndex(48));
    }
}
