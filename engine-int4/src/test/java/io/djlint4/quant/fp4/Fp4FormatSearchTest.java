package io.djlint4.quant.fp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.kernels.Fp4Format;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * LLM-FP4's per-layer format search (§5.5): on tensors whose distribution favours one format the
 * search picks it, and the formats it keeps are never beaten by another candidate, recomputed by
 * brute force in double precision.
 */
class Fp4FormatSearchTest {

    private static final int ROWS = 64;
    private static final int IN = 64;
    private static final int OUT = 16;
    private static final Fp4Settings ALL_FORMATS =
            new Fp4Settings(Fp4Format.E2M1, 40, 0.01, 1.2, 1, 512, List.of(Fp4Format.values()));

    /**
     * Bias candidates 0.5 and 1 (the min/max bias itself), so a grid can sit exactly on the data's
     * range; the search is otherwise the paper's.
     */
    private static final Fp4Settings ALIGNED =
            new Fp4Settings(Fp4Format.E2M1, 2, 0.5, 1.5, 1, 512, List.of(Fp4Format.values()));

    /** Uniform values: the uniform grid (E1M2, INT-like) fits them best. */
    private static float[] uniform(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextDouble(-1, 1);
        }
        return a;
    }

    /**
     * Signed powers of two over seven binades, 1 included wherever {@code ones} says: with the
     * min/max bias, E3M0 represents every one exactly and no other 4-bit format can.
     */
    private static float[] powersOfTwo(SplittableRandom rnd, int n, int onesStride, int ones) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (rnd.nextBoolean() ? 1 : -1) * Math.scalb(1f, -rnd.nextInt(7));
        }
        for (int i = 0; i < ones; i++) {
            a[i * onesStride] = 1f;
        }
        return a;
    }

    private static float[] gaussian(SplittableRandom rnd, int n, double sigma) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rnd.nextGaussian() * sigma);
        }
        return a;
    }

    @Test
    void uniformWeightsGetE1M2() {
        SplittableRandom rnd = new SplittableRandom(2);
        float[] x = gaussian(rnd, ROWS * IN, 1);
        Fp4Linear layer = new Fp4LinearCalibrator(ALL_FORMATS).calibrate(uniform(rnd, OUT * IN), OUT, IN, x, ROWS);
        assertEquals(Fp4Format.E1M2, layer.weights().format());
    }

    @Test
    void powerOfTwoWeightsGetE3M0() {
        SplittableRandom rnd = new SplittableRandom(3);
        float[] x = gaussian(rnd, ROWS * IN, 1);
        float[] w = powersOfTwo(rnd, OUT * IN, IN, OUT);
        Fp4Linear layer = new Fp4LinearCalibrator(ALIGNED).calibrate(w, OUT, IN, x, ROWS);
        assertEquals(Fp4Format.E3M0, layer.weights().format());
        float[] decoded = layer.weights().dequantize();
        unfoldShifts(decoded, layer.activations().shifts());
        assertArrayEquals(w, decoded, 0f);
    }

    @Test
    void uniformInputsGetE1M2() {
        SplittableRandom rnd = new SplittableRandom(4);
        float[] w = gaussian(rnd, OUT * IN, 0.05);
        Fp4Linear layer = new Fp4LinearCalibrator(ALL_FORMATS).calibrate(w, OUT, IN, uniform(rnd, ROWS * IN), ROWS);
        assertEquals(Fp4Format.E1M2, layer.activations().format());
    }

    @Test
    void powerOfTwoInputsGetE3M0() {
        SplittableRandom rnd = new SplittableRandom(5);
        float[] w = gaussian(rnd, OUT * IN, 0.05);
        float[] x = powersOfTwo(rnd, ROWS * IN, 1, IN);
        Fp4Linear layer = new Fp4LinearCalibrator(ALIGNED).calibrate(w, OUT, IN, x, ROWS);
        assertEquals(Fp4Format.E3M0, layer.activations().format());
        float[] xq = new float[x.length];
        layer.activations().fakeQuantize(x, ROWS, IN, xq);
        assertArrayEquals(x, xq, 0f);
    }

    @Test
    void keptFormatsHaveTheLowestErrorOfAllCandidates() {
        SplittableRandom rnd = new SplittableRandom(4);
        float[] x = Fp4FoldingTest.inputs(5);
        int rows = x.length / IN;
        float[] w = gaussian(rnd, OUT * IN, 0.05);
        float[] target = product(x, rows, w);
        Fp4Linear layer = new Fp4LinearCalibrator(ALL_FORMATS).calibrate(w, OUT, IN, x, rows);

        // Weights (one round): each format's best row biases, given the inputs at their min/max E2M1 bias.
        double[] b = ActivationBias.channelBiases(Fp4Format.E2M1, x, rows, IN);
        float[] xq = new float[rows * IN];
        ActivationBias.of(Fp4Format.E2M1, b, ActivationBias.initialRho(b)).fakeQuantize(x, rows, IN, xq);
        Map<Fp4Format, Double> weightErrors = new EnumMap<>(Fp4Format.class);
        for (Fp4Format f : Fp4Format.values()) {
            double[] base = RowBiases.minMax(f, w, OUT, IN);
            double total = 0;
            for (int o = 0; o < OUT; o++) {
                double best = Double.POSITIVE_INFINITY;
                for (double c : ALL_FORMATS.multipliers()) {
                    best = Math.min(best, rowError(f, w, o, base[o] * c, xq, rows, target));
                }
                total += best;
            }
            weightErrors.put(f, total);
        }
        double chosenWeights = weightErrors.get(layer.weights().format());
        for (double e : weightErrors.values()) {
            assertTrue(chosenWeights <= e * (1 + 1e-5), "weights " + layer.weights().format() + ": " + weightErrors);
        }

        // Inputs: each format's best tensor bias, given the weights the layer kept.
        float[] wq = layer.weights().dequantize();
        unfoldShifts(wq, layer.activations().shifts());
        Map<Fp4Format, Double> inputErrors = new EnumMap<>(Fp4Format.class);
        for (Fp4Format f : Fp4Format.values()) {
            double[] bf = ActivationBias.channelBiases(f, x, rows, IN);
            double rho0 = ActivationBias.initialRho(bf);
            double best = Double.POSITIVE_INFINITY;
            for (double c : ALL_FORMATS.multipliers()) {
                best = Math.min(best, Fp4SearchTest.layerError(ActivationBias.of(f, bf, rho0 * c), x, rows, IN, wq, OUT, target));
            }
            inputErrors.put(f, best);
        }
        double kept = Fp4SearchTest.layerError(layer.activations(), x, rows, IN, wq, OUT, target);
        for (double e : inputErrors.values()) {
            assertTrue(kept <= e * (1 + 1e-5), "inputs " + layer.activations().format() + ": " + inputErrors);
        }
        assertTrue(weightErrors.values().stream().distinct().count() == 3, "the candidates must differ: " + weightErrors);
    }

    /** Undoes the fold of {@code 2^(−k_j)} into the weight columns (exact: powers of two). */
    private static void unfoldShifts(float[] w, int[] shifts) {
        for (int o = 0; o < OUT; o++) {
            for (int j = 0; j < IN; j++) {
                w[o * IN + j] = Math.scalb(w[o * IN + j], shifts[j]);
            }
        }
    }

    private static float[] product(float[] x, int rows, float[] w) {
        float[] y = new float[rows * OUT];
        for (int t = 0; t < rows; t++) {
            for (int o = 0; o < OUT; o++) {
                double s = 0;
                for (int j = 0; j < IN; j++) {
                    s += (double) x[t * IN + j] * w[o * IN + j];
                }
                y[t * OUT + o] = (float) s;
            }
        }
        return y;
    }

    private static double rowError(Fp4Format f, float[] w, int o, double beta, float[] xq, int rows, float[] target) {
        float unit = (float) f.unit(beta);
        double e = 0;
        for (int t = 0; t < rows; t++) {
            double y = 0;
            for (int j = 0; j < IN; j++) {
                y += (double) xq[t * IN + j] * f.quantize(w[o * IN + j], unit);
            }
            double d = y - target[t * OUT + o];
            e += d * d;
        }
        return e;
    }
}
