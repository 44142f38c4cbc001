package io.djlint4.quant.calib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.djlint4.kernels.KernelThreads;
import io.djlint4.model.DenseLinear;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PanelLinearTest {

    private static final int OUT = 37;
    private static final int IN = 53;
    private static final int ROWS = 21;

    private final int saved = KernelThreads.threads();

    @AfterEach
    void restoreThreads() {
        KernelThreads.setThreads(saved);
    }

    @Test
    void matchesTheDenseLayerAndTheThreadCountDoesNotMatter() {
        Random rnd = new Random(7);
        float[] w = gaussian(rnd, OUT * IN);
        float[] bias = gaussian(rnd, OUT);
        float[] x = gaussian(rnd, ROWS * IN);
        PanelLinear panels = new PanelLinear(w, bias, OUT, IN);
        float[] expected = new float[ROWS * OUT];
        new DenseLinear(w, bias, OUT, IN).forward(x, ROWS, expected);

        KernelThreads.setThreads(1);
        float[] one = new float[ROWS * OUT];
        panels.forward(x, ROWS, one);
        KernelThreads.setThreads(Math.min(3, KernelThreads.maxThreads()));
        float[] several = new float[ROWS * OUT];
        panels.forward(x, ROWS, several);

        assertArrayEquals(one, several);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], one[i], 1e-4f * (1 + Math.abs(expected[i])), "output " + i);
        }
    }

    private static float[] gaussian(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }
}
