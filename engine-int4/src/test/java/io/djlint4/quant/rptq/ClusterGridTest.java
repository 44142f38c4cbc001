package io.djlint4.quant.rptq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.quant.weight.QuantParams;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Oracle 34 of ALGORITHMS.md §10: per-cluster grids, codes and reconstruction bounds. */
class ClusterGridTest {

    @Test
    void reproducesTheOfficialConstants() {
        ClusterGrid g = new ClusterGrid(4);
        // s = (2.5 - 0.5) / 2^4 = 0.125, z = -(2.5 + 0.5) / (2 * 0.125) = -12.
        QuantParams p = g.fit(0.5f, 2.5f);
        assertEquals(0.125f, p.scale());
        assertEquals(-12, p.zero());
        assertEquals(-8, g.quantize(0.5f, p));
        assertEquals(0.5f, g.roundTrip(0.5f, p));
        // The top of the range lands one step above the largest code and is clamped to it.
        assertEquals(7, g.quantize(2.5f, p));
        assertEquals(2.375f, g.roundTrip(2.5f, p));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 8})
    void codesStayInRangeAndValuesInsideReconstructWithinHalfAStep(int bits) {
        ClusterGrid g = new ClusterGrid(bits);
        Random rnd = new Random(bits);
        for (int trial = 0; trial < 200; trial++) {
            float lo = (float) (rnd.nextGaussian() * 5);
            // Ranges at least 1 wide keep the official scale and zero-point clamps from binding.
            float hi = lo + (float) (rnd.nextDouble() * 10 + 1);
            QuantParams p = g.fit(lo, hi);
            float s = p.scale();
            for (int i = 0; i < 50; i++) {
                float x = (float) (lo - 5 + rnd.nextDouble() * (hi - lo + 10));
                int code = g.quantize(x, p);
                assertTrue(code >= -(1 << (bits - 1)) && code <= (1 << (bits - 1)) - 1, "code " + code);
                if (x >= lo && x <= hi - s) {
                    float err = Math.abs(g.roundTrip(x, p) - x);
                    assertTrue(err <= s / 2 * (1 + 1e-5) + 1e-6f, "x=" + x + " in [" + lo + ", " + hi + "] err " + err + " s " + s);
                }
            }
        }
    }

    @Test
    void constantClustersDecodeExactly() {
        ClusterGrid g = new ClusterGrid(3);
        for (float v : new float[] {0f, 5.3f, -2f, 1234.5f, -0.01f}) {
            QuantParams p = g.fit(v, v);
            assertEquals(v, g.roundTrip(v, p), "constant " + v);
        }
    }

    @Test
    void rejectsEmptyOrInvertedRanges() {
        ClusterGrid g = new ClusterGrid(4);
        assertThrows(IllegalArgumentException.class, () -> g.fit(1f, 0f));
        assertThrows(IllegalArgumentException.class, () -> g.fit(Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> new ClusterGrid(1));
    }

    @Test
    void activationQuantizerGivesEachContiguousClusterItsOwnGrid() {
        ClusterGrid g = new ClusterGrid(4);
        ChannelClusters clusters = new ChannelClusters(new int[] {0, 1, 2, 3, 4}, new int[] {2, 3});
        QuantParams small = g.fit(-1f, 1f);
        QuantParams large = g.fit(-100f, 60f);
        ClusterActivationQuantizer q = new ClusterActivationQuantizer(g, clusters, new QuantParams[] {small, large});
        float[] x = {0.3f, -0.77f, 0.3f, 41f, -99f, 0.9f, 0.1f, 50f, -3f, 7f};
        float[] out = new float[x.length];
        q.apply(x, 2, 5, out);
        for (int r = 0; r < 2; r++) {
            for (int j = 0; j < 5; j++) {
                QuantParams p = j < 2 ? small : large;
                assertEquals(g.roundTrip(x[r * 5 + j], p), out[r * 5 + j], "row " + r + " channel " + j);
            }
        }
        assertEquals(0.25f, out[0], "0.3 on the small grid (step 1/8) rounds to 2 steps");
        assertThrows(IllegalArgumentException.class, () -> q.apply(x, 1, 10, new float[10]));
    }

    @Test
    void weightsGetOneGridPerRowAndInputCluster() {
        Random rnd = new Random(7);
        int rows = 6;
        ChannelClusters clusters = new ChannelClusters(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, new int[] {3, 1, 6});
        float[] w = new float[rows * 10];
        for (int i = 0; i < w.length; i++) {
            // Column 3 (a cluster of its own) is 100x larger, as an outlier input channel would be.
            w[i] = (float) rnd.nextGaussian() * (i % 10 == 3 ? 100 : 1);
        }
        ClusteredWeights q = new ClusterWeightQuantizer(4).quantize(w, rows, clusters);
        float[] dq = q.dequantize();
        int[] starts = clusters.starts();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < 3; c++) {
                float lo = Float.POSITIVE_INFINITY;
                float hi = Float.NEGATIVE_INFINITY;
                for (int j = starts[c]; j < starts[c + 1]; j++) {
                    lo = Math.min(lo, w[r * 10 + j]);
                    hi = Math.max(hi, w[r * 10 + j]);
                }
                QuantParams p = q.params(r, c);
                assertEquals(q.grid().fit(lo, hi), p, "row " + r + " cluster " + c);
                for (int j = starts[c]; j < starts[c + 1]; j++) {
                    int code = q.codes()[r * 10 + j];
                    assertTrue(code >= -8 && code <= 7);
                    // The clamped top of the range costs at most 1.5 steps, everything else half a step.
                    float err = Math.abs(dq[r * 10 + j] - w[r * 10 + j]);
                    assertTrue(err <= 1.5f * p.scale() * (1 + 1e-5f), "err " + err + " step " + p.scale());
                }
            }
            assertEquals(w[r * 10 + 3], dq[r * 10 + 3], "a one-channel cluster is a constant and decodes exactly");
        }
        assertArrayEquals(dq, q.dequantize());
    }
}
