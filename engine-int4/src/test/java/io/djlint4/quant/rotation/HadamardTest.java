package io.djlint4.quant.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Oracles 2-4 and 9 of ALGORITHMS.md §10 for the float64 rotation used in offline fusion (the
 * kernels' tests cover the constructions themselves), and its agreement with the online kernel.
 */
class HadamardTest {

    @ParameterizedTest
    @CsvSource({"896,28", "1536,12", "3584,28", "4864,76", "8960,140", "14336,28", "18944,148", "5120,20", "4096,1", "576,36", "64,1", "11008,344"})
    void choosesTheSmallestFactor(int n, int k) {
        HadamardTransform t = HadamardTransform.of(n, 0);
        assertEquals(k, t.factorOrder());
        assertTrue(t.isHadamard());
    }

    @Test
    void ordersWithoutConstructionFallBackToAnOrthogonalFactor() {
        HadamardTransform t = HadamardTransform.of(172, 5);
        assertFalse(t.isHadamard());
        assertEquals(43, t.factorOrder());
        assertOrthogonal(t, 172);
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 24, 56, 96, 152, 172})
    void transformIsOrthogonalAndAnIsometry(int n) {
        HadamardTransform t = HadamardTransform.of(n, 1);
        assertOrthogonal(t, n);
        double[] x = new Random(n).doubles(n).toArray();
        double before = norm(x);
        t.rotate(x, 0);
        assertEquals(before, norm(x), 1e-12 * before);
    }

    @Test
    void equalsTheExplicitKroneckerProduct() {
        int k = 12;
        int m = 4;
        int n = k * m;
        byte[] hk = io.djlint4.kernels.HadamardMatrices.build(k);
        HadamardTransform t = HadamardTransform.of(n, 0);
        double[] x = new Random(3).doubles(n).toArray();
        double[] expected = new double[n];
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < m; b++) {
                double s = 0;
                for (int c = 0; c < k; c++) {
                    for (int d = 0; d < m; d++) {
                        int sylvester = Integer.bitCount(b & d) % 2 == 0 ? 1 : -1;
                        s += hk[a * k + c] * sylvester * x[c * m + d];
                    }
                }
                expected[a * m + b] = s / Math.sqrt(n);
            }
        }
        t.rotate(x, 0);
        for (int i = 0; i < n; i++) {
            assertEquals(expected[i], x[i], 1e-12);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 96, 896})
    void onlineKernelAppliesTheSameMatrix(int n) {
        HadamardTransform t = HadamardTransform.of(n, 0);
        float[] x = new float[2 * n];
        double[] row = new double[n];
        Random rnd = new Random(n);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        float[] out = new float[x.length];
        t.online().apply(x, 2, out);
        for (int r = 0; r < 2; r++) {
            for (int i = 0; i < n; i++) {
                row[i] = x[r * n + i];
            }
            t.rotate(row, 0);
            for (int i = 0; i < n; i++) {
                assertEquals(row[i], out[r * n + i], 1e-5);
            }
        }
    }

    @Test
    void powerOfTwoTransformIsItsOwnInverse() {
        HadamardTransform t = HadamardTransform.of(64, 0);
        double[] x = new Random(4).doubles(64).toArray();
        double[] y = x.clone();
        t.rotate(y, 0);
        t.rotate(y, 0);
        for (int i = 0; i < 64; i++) {
            assertEquals(x[i], y[i], 1e-12);
        }
    }

    @Test
    void randomizedHadamardIsOrthogonalAndSeeded() {
        RandomizedHadamard r = new RandomizedHadamard(96, 7);
        double[] m = r.toMatrix();
        assertTrue(Orthonormalization.orthogonalityError(m, 96) <= 1e-12);
        double[] again = new RandomizedHadamard(96, 7).toMatrix();
        double[] other = new RandomizedHadamard(96, 8).toMatrix();
        boolean differs = false;
        for (int i = 0; i < m.length; i++) {
            assertEquals(m[i], again[i]);
            differs |= m[i] != other[i];
        }
        assertTrue(differs);
    }

    private static void assertOrthogonal(Rotation t, int n) {
        double[] m = new double[n * n];
        for (int i = 0; i < n; i++) {
            m[i * n + i] = 1;
            t.rotate(m, i * n);
        }
        assertTrue(Orthonormalization.orthogonalityError(m, n) <= 1e-12);
    }

    private static double norm(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        return Math.sqrt(s);
    }
}
