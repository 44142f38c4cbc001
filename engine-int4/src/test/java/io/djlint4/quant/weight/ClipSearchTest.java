package io.djlint4.quant.weight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The two-pass search chooses exactly what the single exact pass of the reference code chooses. */
class ClipSearchTest {

    /** The reference: one pass over the factors with {@link Math#pow}, as in QuaRot's code. */
    private static ClipSearch.Result reference(UniformQuantizer q, float[] x, int off, int stride, int n) {
        float lo = 0f;
        float hi = 0f;
        for (int i = 0; i < n; i++) {
            lo = Math.min(lo, x[off + i * stride]);
            hi = Math.max(hi, x[off + i * stride]);
        }
        double bestErr = Double.POSITIVE_INFINITY;
        QuantParams best = null;
        double bestP = 1;
        for (int i = 0; i < 80; i++) {
            double p = 1 - i / 100.0;
            QuantParams params = q.fitRange((float) (p * lo), (float) (p * hi));
            double err = 0;
            for (int k = 0; k < n && err < bestErr; k++) {
                float v = x[off + k * stride];
                err += Math.pow(Math.abs(q.roundTrip(v, params) - v), 2.4);
            }
            if (err < bestErr) {
                bestErr = err;
                best = params;
                bestP = p;
            }
        }
        return new ClipSearch.Result(best, bestP);
    }

    @Test
    void choosesExactlyWhatTheSinglePassChooses() {
        Random rnd = new Random(17);
        UniformQuantizer[] quantizers = {
            new UniformQuantizer(4, true), new UniformQuantizer(4, false), new UniformQuantizer(3, true),
            new UniformQuantizer(3, false), new UniformQuantizer(8, true)
        };
        int checked = 0;
        for (int trial = 0; trial < 400; trial++) {
            int n = 1 + rnd.nextInt(trial % 4 == 0 ? 300 : 128);
            float[] x = sample(rnd, trial % 7, n * 2);
            for (UniformQuantizer q : quantizers) {
                for (int stride : new int[] {1, 2}) {
                    int count = stride == 1 ? 2 * n : n;
                    ClipSearch.Result expected = reference(q, x, 0, stride, count);
                    ClipSearch.Result got = ClipSearch.search(q, x, 0, stride, count);
                    assertEquals(expected, got, () -> "values " + Arrays.toString(x));
                    checked++;
                }
            }
        }
        assertEquals(400 * 5 * 2, checked);
    }

    /**
     * Gaussian, heavy-tailed, with one outlier, few distinct values (ties), all equal, so small
     * that the errors' powers fall below float's normal range, all zero.
     */
    private static float[] sample(Random rnd, int kind, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = switch (kind) {
                case 0 -> (float) rnd.nextGaussian();
                case 1 -> (float) (Math.exp(2 * rnd.nextGaussian()) * (rnd.nextBoolean() ? 1 : -1));
                case 2 -> (float) rnd.nextGaussian() * (i == 0 ? 40 : 1);
                case 3 -> rnd.nextInt(5) - 2;
                case 4 -> 0.75f;
                case 5 -> (float) rnd.nextGaussian() * 1e-18f;
                default -> 0f;
            };
        }
        return x;
    }

    @Test
    void approximatePowerStaysWithinItsBound() {
        Random rnd = new Random(5);
        double worst = 0;
        for (int i = 0; i < 2_000_000; i++) {
            float a = switch (i % 3) {
                case 0 -> Float.intBitsToFloat(0x00800000 + rnd.nextInt(0x7F000000 - 0x00800000));
                case 1 -> Math.nextUp((float) Math.scalb(1.0, rnd.nextInt(200) - 100));
                default -> rnd.nextFloat() * 4;
            };
            double exact = ErrorPower.exact(a);
            if (exact == 0 || Double.isInfinite(exact)) {
                continue;
            }
            worst = Math.max(worst, Math.abs(ErrorPower.approx(a) / exact - 1));
        }
        assertTrue(worst <= ErrorPower.RELATIVE_ERROR, "worst relative error " + worst);
        assertEquals(0.0, ErrorPower.approx(0f));
        assertEquals(Math.pow(1e-40f, 2.4), ErrorPower.approx(1e-40f));
    }
}
