package io.djlint4.quant.fp4;

import io.djlint4.kernels.Fp32Matmul;
import io.djlint4.kernels.Fp4Format;

/**
 * Calibrates one linear layer (ALGORITHMS.md §5.5): starting from min/max biases, alternates the
 * weight row-bias search and the activation tensor-bias search for the configured rounds, scoring
 * candidates by the squared error of the layer output against its full-precision output on the
 * same inputs.
 */
public final class Fp4LinearCalibrator {

    private final Fp4Settings settings;
    private final WeightBiasSearch weightSearch;
    private final ActivationBiasSearch activationSearch;

    /**
     * Creates the calibrator.
     *
     * @param settings format, candidates and rounds
     */
    public Fp4LinearCalibrator(Fp4Settings settings) {
        this.settings = settings;
        this.weightSearch = new WeightBiasSearch(settings.format(), settings.multipliers());
        this.activationSearch = new ActivationBiasSearch(settings.format(), settings.multipliers());
    }

    /**
     * Quantizes a layer for the inputs it sees.
     *
     * @param w the full-precision weight {@code [out, in]} (not modified)
     * @param out output channels
     * @param in input channels
     * @param x the calibration inputs {@code [rows, in]}, as the already-quantized earlier modules
     *     produce them
     * @param rows the number of calibration rows
     * @return the quantized layer
     */
    public Fp4Linear calibrate(float[] w, int out, int in, float[] x, int rows) {
        Fp4Format format = settings.format();
        double[] channelBiases = ActivationBias.channelBiases(format, x, rows, in);
        float[] xs = searchRows(x, rows, in);
        int n = xs.length / in;
        float[] target = new float[n * out];
        Fp32Matmul.matmul(xs, n, w, null, out, in, target);
        ActivationBias act = ActivationBias.of(format, channelBiases, ActivationBias.initialRho(channelBiases));
        double[] rowBiases = RowBiases.minMax(format, w, out, in);
        float[] xq = new float[n * in];
        float[] wq = new float[out * in];
        for (int round = 0; round < settings.rounds(); round++) {
            act.fakeQuantize(xs, n, in, xq);
            rowBiases = weightSearch.search(w, out, in, xq, n, target);
            RowBiases.fakeQuantize(format, w, out, in, rowBiases, wq);
            act = activationSearch.search(channelBiases, xs, n, in, wq, out, target);
        }
        return Fp4Linear.fold(w, out, in, rowBiases, act);
    }

    /** An even stride through the rows, at most {@code maxSearchTokens} of them, starting at row 0. */
    private float[] searchRows(float[] x, int rows, int in) {
        int stride = (rows + settings.maxSearchTokens() - 1) / settings.maxSearchTokens();
        int n = (rows + stride - 1) / stride;
        float[] xs = new float[n * in];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, i * stride * in, xs, i * in, in);
        }
        return xs;
    }
}
