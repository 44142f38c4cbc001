package io.djlint4.quant.rotation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Oracles 5, 37 and 38 of ALGORITHMS.md §10. */
class OrthonormalizationTest {

    @Test
    void randomOrthogonalIsOrthogonalAndSeeded() {
        double[] a = Orthonormalization.random(33, 7);
        assertTrue(Orthonormalization.orthogonalityError(a, 33) <= 1e-12);
        assertArrayEquals(a, Orthonormalization.random(33, 7));
        assertTrue(a[0] != Orthonormalization.random(33, 8)[0]);
    }

    @Test
    void orthonormalizingAnOrthogonalMatrixWithPositiveRDiagonalKeepsIt() {
        double[] q = Orthonormalization.random(16, 3);
        double[] again = Orthonormalization.of(q, 16);
        for (int i = 0; i < q.length; i++) {
            assertEquals(q[i], again[i], 1e-12);
        }
    }

    @Test
    void procrustesRecoversAKnownRotation() {
        int d = 24;
        int n = 200;
        Random rnd = new Random(5);
        double[] z = new double[n * d];
        for (int i = 0; i < z.length; i++) {
            z[i] = rnd.nextGaussian();
        }
        double[] rStar = Orthonormalization.random(d, 11);
        double[] t = multiply(z, n, d, rStar, d);
        double[] c = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += z[k * d + i] * t[k * d + j];
                }
                c[i * d + j] = s;
            }
        }
        double[] p = Orthonormalization.polarFactor(c, d);
        assertTrue(Orthonormalization.orthogonalityError(p, d) <= 1e-10);
        for (int i = 0; i < p.length; i++) {
            assertEquals(rStar[i], p[i], 1e-8);
        }
    }

    private static double[] multiply(double[] a, int n, int k, double[] b, int m) {
        double[] out = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int x = 0; x < k; x++) {
                    s += a[i * k + x] * b[x * m + j];
                }
                out[i * m + j] = s;
            }
        }
        return out;
    }
}
