package io.djlint4.quant.fp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.kernels.Fp32Matmul;
import io.djlint4.kernels.Fp4Format;
import io.djlint4.quant.Execution;
import org.junit.jupiter.api.Test;

/**
 * The bias searches return the candidate a brute-force evaluation of every candidate, in double
 * precision, finds best; and the calibrated layer beats its min/max starting point.
 */
class Fp4SearchTest {

    private static final int ROWS = 16;
    private static final int IN = 64;
    private static final int OUT = 12;
    private static final Fp4Format FORMAT = Fp4Format.E2M1;
    private static final Fp4Settings SETTINGS = new Fp4Settings(FORMAT, 40, 0.01, 1.2, 2, 512);

    private final float[] x = Fp4FoldingTest.inputs(7);
    private final float[] w = Fp4FoldingTest.weights(8, OUT, IN);
    private final float[] target = product(x, w);

    @Test
    void rowBiasesAreTheBruteForceOptimum() {
        double[] b = ActivationBias.channelBiases(FORMAT, x, ROWS, IN);
        float[] xq = new float[ROWS * IN];
        ActivationBias.of(FORMAT, b, ActivationBias.initialRho(b)).fakeQuantize(x, ROWS, IN, xq);
        double[] chosen = new WeightBiasSearch(FORMAT, SETTINGS.multipliers()).search(w, OUT, IN, x, xq, ROWS).rowBiases();
        double[] base = RowBiases.minMax(FORMAT, w, OUT, IN);
        for (int o = 0; o < OUT; o++) {
            double best = Double.POSITIVE_INFINITY;
            double worst = 0;
            for (double c : SETTINGS.multipliers()) {
                double e = rowError(xq, o, base[o] * c);
                best = Math.min(best, e);
                worst = Math.max(worst, e);
            }
            double got = rowError(xq, o, chosen[o]);
            assertTrue(worst > 2 * best, "row " + o + ": the candidates must differ for the test to mean anything");
            assertTrue(got <= best * (1 + 1e-5), "row " + o + ": chosen error " + got + ", best " + best);
        }
    }

    @Test
    void tensorBiasIsTheBruteForceOptimum() {
        double[] b = ActivationBias.channelBiases(FORMAT, x, ROWS, IN);
        float[] wq = new float[OUT * IN];
        RowBiases.fakeQuantize(FORMAT, w, OUT, IN, RowBiases.minMax(FORMAT, w, OUT, IN), wq);
        ActivationBias chosen =
                new ActivationBiasSearch(FORMAT, SETTINGS.multipliers())
                        .search(b, x, ROWS, IN, InputCandidateError.of(x, ROWS, IN, w, wq, OUT)).bias();
        double rho0 = ActivationBias.initialRho(b);
        double best = Double.POSITIVE_INFINITY;
        double worst = 0;
        for (double c : SETTINGS.multipliers()) {
            double e = layerError(ActivationBias.of(FORMAT, b, rho0 * c), wq);
            best = Math.min(best, e);
            worst = Math.max(worst, e);
        }
        double got = layerError(chosen, wq);
        assertTrue(worst > 2 * best, "the candidates must differ for the test to mean anything");
        assertTrue(got <= best * (1 + 1e-5), "chosen error " + got + ", best " + best);
    }

    @Test
    void calibratedLayerBeatsMinMax() {
        Fp4Linear calibrated = new Fp4LinearCalibrator(SETTINGS).calibrate(w, OUT, IN, x, ROWS);
        double[] b = ActivationBias.channelBiases(FORMAT, x, ROWS, IN);
        Fp4Linear minMax =
                Fp4Linear.fold(w, OUT, IN, RowBiases.minMax(FORMAT, w, OUT, IN),
                        ActivationBias.of(FORMAT, b, ActivationBias.initialRho(b)));
        double searched = outputError(calibrated);
        double start = outputError(minMax);
        assertTrue(searched < 0.9 * start, "searched " + searched + " vs min/max " + start);
    }

    @Test
    void selectedFormatIsUsedForWeightsAndInputs() {
        Fp4Linear layer = new Fp4LinearCalibrator(SETTINGS.withFormat(Fp4Format.E3M0)).calibrate(w, OUT, IN, x, ROWS);
        assertEquals(Fp4Format.E3M0, layer.weights().format());
        assertEquals(Fp4Format.E3M0, layer.activations().format());
        int maxShift = 0;
        for (int k : layer.activations().shifts()) {
            assertTrue(k >= 0 && k <= 7, "k = " + k);
            maxShift = Math.max(maxShift, k);
        }
        assertTrue(maxShift > 3, "E3M0 allows shifts up to 7, beyond E2M1's 3: " + maxShift);
    }

    private static float[] product(float[] x, float[] w) {
        float[] y = new float[ROWS * OUT];
        Fp32Matmul.matmulScalar(x, ROWS, w, null, OUT, IN, y);
        return y;
    }

    /** Squared error of output column {@code o} with that row quantized at bias {@code beta}. */
    private double rowError(float[] xq, int o, double beta) {
        float unit = (float) FORMAT.unit(beta);
        double e = 0;
        for (int t = 0; t < ROWS; t++) {
            double y = 0;
            for (int j = 0; j < IN; j++) {
                y += (double) xq[t * IN + j] * FORMAT.quantize(w[o * IN + j], unit);
            }
            double d = y - target[t * OUT + o];
            e += d * d;
        }
        return e;
    }

    private double layerError(ActivationBias act, float[] wq) {
        return layerError(act, x, ROWS, IN, wq, OUT, target);
    }

    /** Squared error of {@code fakeQuantize(x)·wqᵀ} against {@code target}, in double precision. */
    static double layerError(ActivationBias act, float[] x, int rows, int in, float[] wq, int out, float[] target) {
        float[] xq = new float[rows * in];
        act.fakeQuantize(x, rows, in, xq);
        double e = 0;
        for (int t = 0; t < rows; t++) {
            for (int o = 0; o < out; o++) {
                double y = 0;
                for (int j = 0; j < in; j++) {
                    y += (double) xq[t * in + j] * wq[o * in + j];
                }
                double d = y - target[t * out + o];
                e += d * d;
            }
        }
        return e;
    }

    private double outputError(Fp4Linear layer) {
        float[] y = new float[ROWS * OUT];
        layer.layer(null, Execution.SIMULATED).forward(x, ROWS, y);
        double e = 0;
        for (int i = 0; i < y.length; i++) {
            double d = (double) y[i] - target[i];
            e += d * d;
        }
        return e;
    }
}
