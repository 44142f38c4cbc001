package io.djlint4.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class VectorLaneSumTest {

    /**
     * Lanes of mixed magnitudes, so other summation orders round differently, summed often enough
     * for the JIT to compile the sum: every result must equal the lane-order sum.
     */
    @Test
    void sumsInLaneOrderInEveryTier() {
        Random rnd = new Random(11);
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        float[] values = new float[lanes];
        int orderMatters = 0;
        for (int round = 0; round < 200_000; round++) {
            for (int i = 0; i < lanes; i++) {
                values[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(7) - 3));
            }
            float inOrder = 0f;
            float backwards = 0f;
            for (int i = 0; i < lanes; i++) {
                inOrder += values[i];
                backwards += values[lanes - 1 - i];
            }
            orderMatters += inOrder != backwards ? 1 : 0;
            float sum = VectorLaneSum.sum(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, values, 0));
            if (Float.floatToIntBits(sum) != Float.floatToIntBits(inOrder)) {
                assertEquals(inOrder, sum, "round " + round);
            }
        }
        assertTrue(lanes == 1 || orderMatters > 1000, "the inputs must make the order visible: " + orderMatters);
    }
}
