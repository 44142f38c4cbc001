package io.djlint4.quant.rptq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Oracle 35 of ALGORITHMS.md §10: deterministic labels, no empty cluster. */
class KMeansTest {

    @Test
    void sameFeaturesAndSeedGiveSameLabels() {
        double[][] points = randomPoints(300, 1);
        int[] a = new KMeans(10, 0, 300).labels(points, 32);
        int[] b = new KMeans(10, 0, 300).labels(points, 32);
        assertArrayEquals(a, b);
    }

    @Test
    void everyClusterIsUsed() {
        double[][] points = randomPoints(200, 2);
        for (int k : new int[] {1, 2, 7, 32, 200}) {
            int[] labels = new KMeans(3, 5, 300).labels(points, k);
            assertEquals(k, countUsed(labels, k), "k = " + k);
        }
    }

    @Test
    void fewerDistinctPointsThanClustersGivesOneClusterPerDistinctPoint() {
        double[][] points = new double[40][];
        for (int i = 0; i < points.length; i++) {
            points[i] = new double[] {i % 3, -(i % 3)};
        }
        // -0.0 and 0.0 are the same point.
        points[0] = new double[] {-0.0, 0.0};
        int[] labels = new KMeans(10, 0, 300).labels(points, 32);
        assertEquals(3, countUsed(labels, 3));
        for (int i = 0; i < points.length; i++) {
            assertEquals(labels[i % 3], labels[i], "point " + i);
        }
    }

    @Test
    void heavilyDuplicatedPointsStillFillEveryCluster() {
        // Many copies of one point and a few singletons: Lloyd steps tend to empty clusters here.
        double[][] points = new double[60][];
        for (int i = 0; i < points.length; i++) {
            points[i] = i < 50 ? new double[] {0, 0} : new double[] {i, i * 0.5};
        }
        for (long seed = 0; seed < 20; seed++) {
            int[] labels = new KMeans(2, seed, 300).labels(points, 11);
            assertEquals(11, countUsed(labels, 11), "seed " + seed);
        }
    }

    @Test
    void separatedBlobsAreRecovered() {
        Random rnd = new Random(3);
        double[][] centres = {{0, 0}, {50, -50}, {10, 40}, {-30, 5}};
        double[][] points = new double[200][];
        int[] truth = new int[200];
        for (int i = 0; i < points.length; i++) {
            truth[i] = rnd.nextInt(centres.length);
            points[i] = new double[] {centres[truth[i]][0] + rnd.nextGaussian(), centres[truth[i]][1] + rnd.nextGaussian()};
        }
        int[] labels = new KMeans(10, 0, 300).labels(points, 4);
        for (int i = 0; i < points.length; i++) {
            for (int j = 0; j < points.length; j++) {
                assertEquals(truth[i] == truth[j], labels[i] == labels[j], "points " + i + " and " + j);
            }
        }
    }

    @Test
    void differentSeedsCanDiffer() {
        // Guards against a seed that is ignored: on unstructured data some seed changes the result.
        double[][] points = randomPoints(300, 4);
        int[] base = new KMeans(1, 0, 300).labels(points, 16);
        boolean differs = false;
        for (long seed = 1; seed < 10 && !differs; seed++) {
            differs = !Arrays.equals(base, new KMeans(1, seed, 300).labels(points, 16));
        }
        assertTrue(differs, "ten seeds gave identical labels");
    }

    @Test
    void rejectsNonFinitePoints() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new KMeans(1, 0, 10).labels(new double[][] {{0, 0}, {Double.NaN, 1}}, 2));
    }

    private static int countUsed(int[] labels, int k) {
        boolean[] used = new boolean[k];
        int n = 0;
        for (int l : labels) {
            assertTrue(l >= 0 && l < k, "label " + l + " outside [0, " + k + ")");
            if (!used[l]) {
                used[l] = true;
                n++;
            }
        }
        return n;
    }

    private static double[][] randomPoints(int n, long seed) {
        Random rnd = new Random(seed);
        double[][] p = new double[n][];
        for (int i = 0; i < n; i++) {
            p[i] = new double[] {rnd.nextGaussian() * 3, rnd.nextGaussian()};
        }
        return p;
    }
}
