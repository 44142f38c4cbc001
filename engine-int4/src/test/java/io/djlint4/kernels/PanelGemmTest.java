package io.djlint4.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The k-major panel product against a plain double-precision product, on sizes off its blocking. */
class PanelGemmTest {

    private static float[] random(int n, long seed) {
        Random rnd = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }

    @Test
    void transposeLaysRowsSideBySideAndZeroesTheRest() {
        int in = 3;
        float[] rows = {1, 2, 3, 4, 5, 6};
        float[] kMajor = new float[in * PanelGemm.WIDTH];
        Arrays.fill(kMajor, 9f);
        PanelGemm.transpose(rows, 2, in, kMajor);
        for (int k = 0; k < in; k++) {
            assertEquals(rows[k], kMajor[k * PanelGemm.WIDTH]);
            assertEquals(rows[in + k], kMajor[k * PanelGemm.WIDTH + 1]);
            for (int j = 2; j < PanelGemm.WIDTH; j++) {
                assertEquals(0f, kMajor[k * PanelGemm.WIDTH + j]);
            }
        }
    }

    @Test
    void productMatchesDoublePrecisionForPartialPanelsAndOddRowCounts() {
        int in = 37;
        int out = 2 * PanelGemm.WIDTH + 3;
        float[] w = random(out * in, 1);
        float[] bias = random(out, 2);
        for (int rows : new int[] {1, 3, 4, 5, 9}) {
            float[] x = random(rows * in, 3 + rows);
            float[] y = new float[rows * out];
            float[] yScalar = new float[rows * out];
            float[] kMajor = new float[in * PanelGemm.WIDTH];
            for (int first = 0; first < out; first += PanelGemm.WIDTH) {
                int count = Math.min(PanelGemm.WIDTH, out - first);
                PanelGemm.transpose(Arrays.copyOfRange(w, first * in, (first + count) * in), count, in, kMajor);
                PanelGemm.multiply(x, rows, kMajor, first, count, bias, out, in, y);
                PanelGemm.multiplyScalar(x, rows, kMajor, first, count, bias, out, in, yScalar);
            }
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < out; o++) {
                    double s = bias[o];
                    for (int k = 0; k < in; k++) {
                        s += (double) x[r * in + k] * w[o * in + k];
                    }
                    assertTrue(Math.abs(s - y[r * out + o]) < 1e-4, "rows=" + rows + " at " + r + "," + o);
                    assertTrue(Math.abs(s - yScalar[r * out + o]) < 1e-4, "scalar rows=" + rows + " at " + r + "," + o);
                }
            }
        }
    }

    @Test
    void aRowsResultDoesNotDependOnTheRowsBesideIt() {
        int in = 29;
        int count = PanelGemm.WIDTH;
        float[] kMajor = new float[in * count];
        PanelGemm.transpose(random(count * in, 4), count, in, kMajor);
        float[] x = random(7 * in, 5);
        float[] together = new float[7 * count];
        PanelGemm.multiply(x, 7, kMajor, 0, count, null, count, in, together);
        for (int r = 0; r < 7; r++) {
            float[] alone = new float[count];
            PanelGemm.multiply(Arrays.copyOfRange(x, r * in, (r + 1) * in), 1, kMajor, 0, count, null, count, in, alone);
            assertArrayEquals(alone, Arrays.copyOfRange(together, r * count, (r + 1) * count), "row " + r);
        }
    }

    @Test
    void aPanelThatDoesNotFitIsRefused() {
        float[] kMajor = new float[4 * PanelGemm.WIDTH];
        assertThrows(IllegalArgumentException.class,
                () -> PanelGemm.transpose(new float[100], PanelGemm.WIDTH + 1, 4, kMajor));
        assertThrows(IllegalArgumentException.class,
                () -> PanelGemm.multiply(new float[8], 2, kMajor, 1, PanelGemm.WIDTH, null, PanelGemm.WIDTH, 4,
                        new float[2 * PanelGemm.WIDTH]));
    }
}
