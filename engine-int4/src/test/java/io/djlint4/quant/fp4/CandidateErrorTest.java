package io.djlint4.quant.fp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.kernels.Fp4Format;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The search objectives over every token, in whichever form a shape takes (second moments with
 * more tokens than channels, the product otherwise), against the squared output error summed in
 * double precision token by token; and the searches that use them still pick the brute-force
 * optimum.
 */
class CandidateErrorTest {

    private static final Fp4Format FORMAT = Fp4Format.E2M1;
    private static final double[] MULTIPLIERS = new Fp4Settings(FORMAT, 30, 0.01, 1.2, 1, 0).multipliers();

    @ParameterizedTest
    @CsvSource({"300, 24, 40", "300, 24, 16", "20, 24, 40", "20, 24, 16"})
    void weightObjectiveIsTheOutputErrorOfEachRow(int rows, int in, int out) {
        Random rnd = new Random(rows * 31 + out);
        float[] x = inputs(rnd, rows, in);
        float[] w = gaussian(rnd, out * in, 0.2f);
        float[] xq = quantizedInputs(x, rows, in, 0.7);
        WeightCandidateError objective = WeightCandidateError.of(w, out, in, x, xq, rows);
        for (double c : new double[] {0.3, 1.0}) {
            float[] wq = quantizedWeights(w, out, in, c);
            double[] got = objective.perRow(wq);
            double[] expected = rowErrors(x, xq, rows, in, w, wq, out);
            for (int o = 0; o < out; o++) {
                assertEquals(expected[o], got[o], 1e-4 * expected[o] + 1e-9, rows + "x" + in + "x" + out + " row " + o);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"300, 24, 40", "300, 24, 16", "20, 24, 40"})
    void inputObjectiveIsTheLayerOutputError(int rows, int in, int out) {
        Random rnd = new Random(rows * 17 + out);
        float[] x = inputs(rnd, rows, in);
        float[] w = gaussian(rnd, out * in, 0.2f);
        float[] wq = quantizedWeights(w, out, in, 1.0);
        InputCandidateError objective = InputCandidateError.of(x, rows, in, w, wq, out);
        for (double c : new double[] {0.3, 0.7, 1.0}) {
            float[] xq = quantizedInputs(x, rows, in, c);
            double expected = 0;
            for (double e : rowErrors(x, xq, rows, in, w, wq, out)) {
                expected += e;
            }
            assertEquals(expected, objective.total(xq), 1e-4 * expected, rows + "x" + in + "x" + out + " c " + c);
        }
    }

    @ParameterizedTest
    @CsvSource({"400, 32, 48", "400, 32, 8"})
    void searchesOverEveryTokenPickTheBruteForceOptimum(int rows, int in, int out) {
        Random rnd = new Random(5);
        float[] x = inputs(rnd, rows, in);
        float[] w = gaussian(rnd, out * in, 0.2f);
        double[] b = ActivationBias.channelBiases(FORMAT, x, rows, in);
        float[] wq = quantizedWeights(w, out, in, 1.0);
        ActivationBias chosen = new ActivationBiasSearch(FORMAT, MULTIPLIERS)
                .search(b, x, rows, in, InputCandidateError.of(x, rows, in, w, wq, out)).bias();
        double rho0 = ActivationBias.initialRho(b);
        double best = Double.POSITIVE_INFINITY;
        double worst = 0;
        for (double c : MULTIPLIERS) {
            double e = total(x, quantize(ActivationBias.of(FORMAT, b, rho0 * c), x, rows, in), rows, in, w, wq, out);
            best = Math.min(best, e);
            worst = Math.max(worst, e);
        }
        float[] xq = quantize(chosen, x, rows, in);
        assertTrue(worst > 2 * best, "the candidates must differ for the test to mean anything");
        assertTrue(total(x, xq, rows, in, w, wq, out) <= best * (1 + 1e-4), "inputs: not the best candidate");

        double[] rowBiases = new WeightBiasSearch(FORMAT, MULTIPLIERS).search(w, out, in, x, xq, rows).rowBiases();
        double[] base = RowBiases.minMax(FORMAT, w, out, in);
        float[] chosenWeights = new float[out * in];
        RowBiases.fakeQuantize(FORMAT, w, out, in, rowBiases, chosenWeights);
        double[] got = rowErrors(x, xq, rows, in, w, chosenWeights, out);
        double[] bestRows = new double[out];
        Arrays.fill(bestRows, Double.POSITIVE_INFINITY);
        float[] candidate = new float[out * in];
        for (double c : MULTIPLIERS) {
            double[] scaled = new double[out];
            for (int o = 0; o < out; o++) {
                scaled[o] = base[o] * c;
            }
            RowBiases.fakeQuantize(FORMAT, w, out, in, scaled, candidate);
            double[] e = rowErrors(x, xq, rows, in, w, candidate, out);
            for (int o = 0; o < out; o++) {
                bestRows[o] = Math.min(bestRows[o], e[o]);
            }
        }
        for (int o = 0; o < out; o++) {
            assertTrue(got[o] <= bestRows[o] * (1 + 1e-4), "weights row " + o + ": " + got[o] + " vs " + bestRows[o]);
        }
    }

    /** Gaussian inputs with two channels ten times larger, as LLM activations have. */
    private static float[] inputs(Random rnd, int rows, int in) {
        float[] x = gaussian(rnd, rows * in, 1f);
        for (int t = 0; t < rows; t++) {
            x[t * in + 3] *= 10;
            x[t * in + in - 2] *= 10;
        }
        return x;
    }

    private static float[] gaussian(Random rnd, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian() * scale;
        }
        return a;
    }

    private static float[] quantizedInputs(float[] x, int rows, int in, double multiplier) {
        double[] b = ActivationBias.channelBiases(FORMAT, x, rows, in);
        return quantize(ActivationBias.of(FORMAT, b, ActivationBias.initialRho(b) * multiplier), x, rows, in);
    }

    private static float[] quantize(ActivationBias bias, float[] x, int rows, int in) {
        float[] xq = new float[rows * in];
        bias.fakeQuantize(x, rows, in, xq);
        return xq;
    }

    private static float[] quantizedWeights(float[] w, int out, int in, double multiplier) {
        double[] beta = RowBiases.minMax(FORMAT, w, out, in);
        for (int o = 0; o < out; o++) {
            beta[o] *= multiplier;
        }
        float[] wq = new float[out * in];
        RowBiases.fakeQuantize(FORMAT, w, out, in, beta, wq);
        return wq;
    }

    /** {@code Σ_t (xq_t·wq_o − x_t·w_o)²} for every row {@code o}, in double precision. */
    private static double[] rowErrors(float[] x, float[] xq, int rows, int in, float[] w, float[] wq, int out) {
        double[] err = new double[out];
        for (int t = 0; t < rows; t++) {
            for (int o = 0; o < out; o++) {
                double d = 0;
                for (int j = 0; j < in; j++) {
                    d += (double) xq[t * in + j] * wq[o * in + j] - (double) x[t * in + j] * w[o * in + j];
                }
                err[o] += d * d;
            }
        }
        return err;
    }

    private static double total(float[] x, float[] xq, int rows, int in, float[] w, float[] wq, int out) {
        double s = 0;
        for (double e : rowErrors(x, xq, rows, in, w, wq, out)) {
            s += e;
        }
        return s;
    }
}
