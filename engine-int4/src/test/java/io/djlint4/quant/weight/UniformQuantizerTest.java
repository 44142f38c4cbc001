package io.djlint4.quant.weight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Oracles 10, 11 and 16 of ALGORITHMS.md §10. */
class UniformQuantizerTest {

    @Test
    void symmetricInt4CodesAndErrorBound() {
        UniformQuantizer q = new UniformQuantizer(4, true);
        float[] x = randomRow(new Random(1), 64);
        QuantParams p = q.fit(x, 0, 1, x.length, 1f);
        assertEquals(0, p.zero());
        float amax = 0;
        int argMax = 0;
        for (int i = 0; i < x.length; i++) {
            int c = q.quantize(x[i], p);
            assertTrue(c >= -8 && c <= 7, "code " + c);
            assertTrue(Math.abs(q.roundTrip(x[i], p) - x[i]) <= p.scale() / 2 * (1 + 1e-6f));
            if (Math.abs(x[i]) > amax) {
                amax = Math.abs(x[i]);
                argMax = i;
            }
        }
        float top = Math.abs(x[argMax]);
        assertEquals(top, Math.abs(q.roundTrip(x[argMax], p)), Math.ulp(top));
    }

    @Test
    void allZeroGroupGivesZerosAndNoNaN() {
        for (boolean sym : new boolean[] {true, false}) {
            UniformQuantizer q = new UniformQuantizer(4, sym);
            float[] x = new float[16];
            QuantParams p = q.fit(x, 0, 1, x.length, 1f);
            assertTrue(Float.isFinite(p.scale()) && p.scale() > 0);
            for (float v : x) {
                assertEquals(0f, q.roundTrip(v, p));
            }
        }
    }

    @Test
    void asymmetricInt4CodesErrorBoundAndExactZero() {
        UniformQuantizer q = new UniformQuantizer(4, false);
        float[] x = randomRow(new Random(2), 64);
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.abs(x[i]) + 0.5f;
        }
        QuantParams p = q.fit(x, 0, 1, x.length, 1f);
        for (float v : x) {
            int c = q.quantize(v, p);
            assertTrue(c >= 0 && c <= 15, "code " + c);
            assertTrue(Math.abs(q.roundTrip(v, p) - v) <= p.scale() / 2 * (1 + 1e-6f));
        }
        assertEquals(0f, q.roundTrip(0f, p));
    }

    @Test
    void clipSearchStaysOnTheGridAndNeverLosesToNoClipping() {
        UniformQuantizer q = new UniformQuantizer(4, true);
        Random rnd = new Random(3);
        for (int trial = 0; trial < 20; trial++) {
            float[] x = randomRow(rnd, 128);
            x[rnd.nextInt(128)] *= 8;
            ClipSearch.Result r = ClipSearch.search(q, x, 0, 1, x.length);
            double i = (1 - r.shrink()) * 100;
            assertEquals(Math.rint(i), i, 1e-9);
            assertTrue(r.shrink() >= 0.21 - 1e-12 && r.shrink() <= 1.0);
            QuantParams noClip = q.fit(x, 0, 1, x.length, 1f);
            double err1 = 0;
            double chosen = 0;
            for (float v : x) {
                err1 += Math.pow(Math.abs(q.roundTrip(v, noClip) - v), 2.4);
                chosen += Math.pow(Math.abs(q.roundTrip(v, r.params()) - v), 2.4);
            }
            assertTrue(chosen <= err1, chosen + " > " + err1);
        }
    }

    @Test
    void stridedFitReadsAColumn() {
        UniformQuantizer q = new UniformQuantizer(4, true);
        float[] m = {1f, -7f, 2f, 3.5f, 3f, 0f};
        QuantParams col1 = q.fit(m, 1, 2, 3, 1f);
        assertEquals(7f / 7, col1.scale(), 1e-7);
    }

    private static float[] randomRow(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }
}
