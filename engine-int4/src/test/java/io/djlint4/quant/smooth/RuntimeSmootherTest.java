package io.djlint4.quant.smooth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.kernels.RuntimeSmoothing;
import io.djlint4.quant.act.PerTokenQuantizer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Oracles 17-21 of ALGORITHMS.md §10 and the edge cases of §4.5. */
class RuntimeSmootherTest {

    private static final PerTokenQuantizer INT4 = new PerTokenQuantizer(4, true, 1f);

    @Test
    void scalesBoundTheChannelsAndAreConstantWithinSortedGroups() {
        int rows = 5;
        int width = 300;
        float[] x = gaussian(new Random(1), rows * width);
        x[2 * width + 17] = 40f;
        RuntimeSmoother rs = new RuntimeSmoother(128, INT4);
        float[] s = rs.scales(x, rows, width);
        float[] r = new RuntimeSmoother(1, INT4).scales(x, rows, width);
        for (int c = 0; c < width; c++) {
            assertTrue(s[c] >= r[c]);
            for (int t = 0; t < rows; t++) {
                assertTrue(r[c] >= Math.abs(x[t * width + c]));
                assertTrue(Math.abs(x[t * width + c] / s[c]) <= 1f);
            }
        }
        // An independent sort: decreasing maximum, ties by channel index.
        int[] order =
                java.util.stream.IntStream.range(0, width)
                        .boxed()
                        .sorted((p, q) -> r[p] != r[q] ? Float.compare(r[q], r[p]) : Integer.compare(p, q))
                        .mapToInt(Integer::intValue)
                        .toArray();
        for (int g0 = 0; g0 < width; g0 += 128) {
            for (int j = g0; j < Math.min(width, g0 + 128); j++) {
                assertEquals(r[order[g0]], s[order[j]], "group " + g0 / 128);
            }
        }
        assertEquals(40f, s[17]);
    }

    @Test
    void unitChannelMaximaGivePlainPerTokenQuantization() {
        int rows = 4;
        int width = 200;
        float[] x = gaussian(new Random(2), rows * width);
        for (int c = 0; c < width; c++) {
            x[(c % rows) * width + c] = c % 2 == 0 ? 1f : -1f;
            for (int t = 0; t < rows; t++) {
                x[t * width + c] = Math.max(-1f, Math.min(1f, x[t * width + c]));
            }
        }
        float[] smoothed = new float[x.length];
        float[] plain = new float[x.length];
        new RuntimeSmoother(128, INT4).apply(x, rows, width, smoothed);
        INT4.apply(x, rows, width, plain);
        assertArrayEquals(plain, smoothed);
    }

    /**
     * The packed path's runtime smoothing ({@link RuntimeSmoothing}) dequantizes to exactly what
     * this simulated smoother gives, with symmetric and with asymmetric per-token codes.
     */
    @Test
    void packedSmoothingDequantizesToTheSimulatedValuesBitForBit() {
        int rows = 6;
        int width = 200;
        float[] x = gaussian(new Random(4), rows * width);
        for (int c = 0; c < width; c++) {
            x[c] = Math.abs(x[c]) + 0.5f;
        }
        x[3 * width + 11] = 30f;
        for (boolean symmetric : new boolean[] {true, false}) {
            for (int group : new int[] {1, 16, 128}) {
                float[] simulated = new float[x.length];
                new RuntimeSmoother(group, new PerTokenQuantizer(4, symmetric, 0.9f)).apply(x, rows, width, simulated);
                RuntimeSmoothing packed = new RuntimeSmoothing(rows, width, group, 4, symmetric);
                packed.compute(x, rows, 0.9f);
                assertArrayEquals(simulated, packed.dequantize(), "symmetric " + symmetric + ", group " + group);
            }
        }
    }

    @Test
    void permutingChannelsPermutesTheOutput() {
        int rows = 3;
        int width = 256;
        Random rnd = new Random(3);
        float[] x = gaussian(rnd, rows * width);
        int[] perm = rnd.ints(0, Integer.MAX_VALUE).limit(width).toArray();
        Integer[] idx = new Integer[width];
        for (int i = 0; i < width; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> Integer.compare(perm[a], perm[b]));
        float[] xp = new float[x.length];
        for (int t = 0; t < rows; t++) {
            for (int c = 0; c < width; c++) {
                xp[t * width + c] = x[t * width + idx[c]];
            }
        }
        RuntimeSmoother rs = new RuntimeSmoother(128, INT4);
        float[] y = new float[x.length];
        float[] yp = new float[x.length];
        rs.apply(x, rows, width, y);
        rs.apply(xp, rows, width, yp);
        for (int t = 0; t < rows; t++) {
            for (int c = 0; c < width; c++) {
                assertEquals(y[t * width + idx[c]], yp[t * width + c]);
            }
        }
    }

    @Test
    void singleTokenZeroTokenAndZeroChannelAreWellDefined() {
        RuntimeSmoother rs = new RuntimeSmoother(128, INT4);
        float[] one = gaussian(new Random(4), 130);
        float[] out = new float[130];
        rs.apply(one, 1, 130, out);
        for (int c = 0; c < 130; c++) {
            assertTrue(Float.isFinite(out[c]));
            assertTrue(Math.abs(out[c] - one[c]) <= Math.abs(one[c]) + 1e-6f);
        }
        float[] zeros = new float[2 * 130];
        zeros[130 + 5] = 3f;
        float[] z = new float[zeros.length];
        rs.apply(zeros, 2, 130, z);
        for (int c = 0; c < 130; c++) {
            assertEquals(0f, z[c], "zero token stays zero");
            if (c != 5) {
                assertEquals(0f, z[130 + c], "all-zero channel contributes nothing");
            }
        }
        assertEquals(3f, z[135], 1e-6f);
    }

    @Test
    void nonFiniteActivationsAreRejected() {
        float[] x = {1f, Float.NaN, 2f, 3f};
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new RuntimeSmoother(2, INT4).apply(x, 2, 2, new float[4]));
        assertTrue(e.getMessage().contains("row 0, channel 1"), e.getMessage());
    }

    private static float[] gaussian(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }
}
