package io.djlint4.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.quant.act.PerTokenQuantizer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenGroupRoundingTest {

    /**
     * The Vector API path, the scalar reference and the simulated quantizer give the same values
     * bit for bit; every value of a group lies within half its group's step (clip 1), and on rows
     * with an outlier channel the groups lose less than one grid per token.
     */
    @ParameterizedTest(name = "{0} bits, group {1}, {2} columns, symmetric {3}")
    @CsvSource({
        "4, 32, 576, true", "4, 32, 576, false", "4, 128, 576, false", "8, 64, 136, true", "3, 32, 70, false",
        "4, 1000, 96, true",
    })
    void pathsAgreeAndEachGroupKeepsItsOwnStep(int bits, int group, int cols, boolean symmetric) {
        Random rnd = new Random(bits * 1000L + group + cols);
        int rows = 5;
        float[] x = TestArrays.gaussian(rnd, rows * cols);
        for (int t = 0; t < rows; t++) {
            x[t * cols + 3] *= 40f;
        }
        TokenGroupRounding rounding = new TokenGroupRounding(group, bits, symmetric);
        float[] fast = new float[x.length];
        float[] ref = new float[x.length];
        rounding.round(x, rows, cols, 1f, fast);
        rounding.roundScalar(x, rows, cols, 1f, ref);
        assertArrayEquals(ref, fast);
        float[] simulated = new float[x.length];
        new PerTokenQuantizer(bits, symmetric, 1f, group).apply(x, rows, cols, simulated);
        assertArrayEquals(simulated, ref);

        float[] perToken = new float[x.length];
        new PerTokenQuantizer(bits, symmetric, 1f).apply(x, rows, cols, perToken);
        double groupedError = 0;
        double tokenError = 0;
        int levels = symmetric ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
        for (int t = 0; t < rows; t++) {
            for (int start = 0; start < cols; start += group) {
                int end = Math.min(cols, start + group);
                float lo = 0;
                float hi = 0;
                for (int k = start; k < end; k++) {
                    lo = Math.min(lo, x[t * cols + k]);
                    hi = Math.max(hi, x[t * cols + k]);
                }
                float step = symmetric ? Math.max(-lo, hi) / levels : (hi - lo) / levels;
                for (int k = start; k < end; k++) {
                    int i = t * cols + k;
                    // asymmetric grids round their zero point, which can move the top value by half a step more
                    float bound = step * (symmetric ? 0.5001f : 1.0001f);
                    assertEquals(x[i], ref[i], bound, "token " + t + ", channel " + k);
                    groupedError += (double) (x[i] - ref[i]) * (x[i] - ref[i]);
                    tokenError += (double) (x[i] - perToken[i]) * (x[i] - perToken[i]);
                }
            }
        }
        if (group < cols) {
            assertTrue(groupedError < tokenError, groupedError + " vs " + tokenError);
        } else {
            assertEquals(tokenError, groupedError, 0.0);
        }
    }

    @Test
    void roundsInPlace() {
        float[] x = TestArrays.gaussian(new Random(3), 2 * 64);
        float[] expected = new float[x.length];
        TokenGroupRounding rounding = new TokenGroupRounding(32, 4, false);
        rounding.round(x, 2, 64, 0.9f, expected);
        rounding.round(x, 2, 64, 0.9f, x);
        assertArrayEquals(expected, x);
    }

    @Test
    void refusesBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new TokenGroupRounding(0, 4, true));
        assertThrows(IllegalArgumentException.class, () -> new TokenGroupRounding(32, 9, true));
        TokenGroupRounding r = new TokenGroupRounding(32, 4, true);
        assertThrows(IllegalArgumentException.class, () -> r.round(new float[64], 3, 32, 1f, new float[96]));
        assertThrows(IllegalArgumentException.class, () -> r.round(new float[64], 2, 32, 0f, new float[64]));
    }
}
