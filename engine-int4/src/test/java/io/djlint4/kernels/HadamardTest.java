package io.djlint4.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HadamardTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8, 16, 32, 64, 128, 12, 20, 28, 36, 40, 44, 52, 60, 76, 108, 140, 148, 152, 344})
    void constructedMatricesAreHadamard(int n) {
        byte[] h = HadamardMatrices.build(n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertTrue(h[i * n + j] == 1 || h[i * n + j] == -1);
                int dot = 0;
                for (int k = 0; k < n; k++) {
                    dot += h[i * n + k] * h[j * n + k];
                }
                assertEquals(i == j ? n : 0, dot, "rows " + i + "," + j);
            }
        }
    }

    @Test
    void ordersWithoutConstructionAreRejected() {
        assertFalse(HadamardMatrices.canBuild(172));
        assertFalse(HadamardMatrices.canBuild(14));
        assertThrows(IllegalArgumentException.class, () -> HadamardMatrices.build(156));
        assertThrows(IllegalArgumentException.class, () -> HadamardTransform.chooseK(14));
    }

    @ParameterizedTest
    @CsvSource({
        "896, 28", "1536, 12", "3584, 28", "4864, 76", "8960, 140", "11008, 344", "14336, 28",
        "18944, 148", "5120, 20", "4096, 1"
    })
    void chooseKPicksTheSmallestSupportedOrder(int n, int k) {
        assertEquals(k, HadamardTransform.chooseK(n));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 8, 16, 64, 1024})
    void fwhtEqualsSylvesterProductAndVectorEqualsScalar(int m) {
        Random rnd = new Random(m);
        float[] x = TestArrays.gaussian(rnd, m + 3);
        byte[] s = HadamardMatrices.build(m);
        float[] fast = x.clone();
        float[] scalar = x.clone();
        WalshHadamard.transform(fast, 3, m);
        WalshHadamard.transformScalar(scalar, 3, m);
        assertArrayEquals(scalar, fast);
        for (int i = 0; i < m; i++) {
            double e = 0;
            double mag = 0;
            for (int j = 0; j < m; j++) {
                e += s[i * m + j] * (double) x[3 + j];
                mag += Math.abs(x[3 + j]);
            }
            assertEquals(e, fast[3 + i], 1e-5 * mag);
        }
        WalshHadamard.transformNormalized(fast, 3, m);
        for (int i = 0; i < m; i++) {
            assertEquals(x[3 + i] * Math.sqrt(m), fast[3 + i], 1e-4 * Math.sqrt(m));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {24, 56, 896, 4864, 11008, 4096, 152})
    void kroneckerTransformIsTheExplicitOrthogonalMatrix(int n) {
        HadamardTransform h = HadamardTransform.forSize(n);
        int k = h.order();
        int m = n / k;
        byte[] hk = HadamardMatrices.build(k);
        byte[] sm = HadamardMatrices.build(m);
        Random rnd = new Random(n);
        float[] x = TestArrays.gaussian(rnd, n);
        float[] y = x.clone();
        h.apply(y, 0);
        float[] ref = x.clone();
        h.applyScalar(ref, 0);
        assertArrayEquals(ref, y);
        double norm = 0;
        double normY = 0;
        int checked = Math.min(n, 64);
        for (int i = 0; i < n; i++) {
            norm += x[i] * (double) x[i];
            normY += y[i] * (double) y[i];
        }
        assertEquals(Math.sqrt(norm), Math.sqrt(normY), 1e-5 * Math.sqrt(norm));
        for (int r = 0; r < checked; r++) {
            int i = r * (n / checked);
            int a = i / m;
            int b = i % m;
            double e = 0;
            for (int j = 0; j < n; j++) {
                e += hk[a * k + j / m] * sm[b * m + j % m] * (double) x[j];
            }
            assertEquals(e / Math.sqrt(n), y[i], 1e-5 * Math.sqrt(norm), "row " + i);
        }
        h.applyTransposed(y, 0);
        for (int i = 0; i < n; i++) {
            assertEquals(x[i], y[i], 1e-4);
        }
    }

    @Test
    void rowsAreTransformedIndependently() {
        HadamardTransform h = HadamardTransform.forSize(896);
        Random rnd = new Random(2);
        float[] x = TestArrays.gaussian(rnd, 5 * 896);
        float[] expected = x.clone();
        for (int r = 0; r < 5; r++) {
            h.apply(expected, r * 896);
        }
        h.applyRows(x, 5);
        assertArrayEquals(expected, x);
    }
}
