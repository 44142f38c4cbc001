package io.djlint4.quant.fp4;

import io.djlint4.kernels.Fp4Format;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Calibrates one linear layer (ALGORITHMS.md §5.5): starting from min/max biases in the initial
 * format, alternates the weight search and the activation search for the configured rounds. Each
 * half searches the bias in every candidate format, then keeps the format whose best bias gives
 * the smallest squared error of the layer output against its full-precision output on the same
 * inputs (the initial format on ties), so weights and inputs each get their own format per layer.
 */
public final class Fp4LinearCalibrator {

    private final Fp4Settings settings;
    private final Map<Fp4Format, WeightBiasSearch> weightSearches = new EnumMap<>(Fp4Format.class);
    private final Map<Fp4Format, ActivationBiasSearch> activationSearches = new EnumMap<>(Fp4Format.class);

    /**
     * Creates the calibrator.
     *
     * @param settings formats, candidates and rounds
     */
    public Fp4LinearCalibrator(Fp4Settings settings) {
        this.settings = settings;
        for (Fp4Format f : settings.formats()) {
            weightSearches.put(f, new WeightBiasSearch(f, settings.multipliers()));
            activationSearches.put(f, new ActivationBiasSearch(f, settings.multipliers()));
        }
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
     * @return the quantized layer, its weights and input in the formats chosen
     */
    public Fp4Linear calibrate(float[] w, int out, int in, float[] x, int rows) {
        List<Fp4Format> formats = settings.formats();
        Map<Fp4Format, double[]> channelBiases = new EnumMap<>(Fp4Format.class);
        for (Fp4Format f : formats) {
            channelBiases.put(f, ActivationBias.channelBiases(f, x, rows, in));
        }
        float[] xs = searchRows(x, rows, in);
        int n = xs.length / in;
        Fp4Format initial = settings.format();
        double[] initialBiases = channelBiases.get(initial);
        ActivationBias act = ActivationBias.of(initial, initialBiases, ActivationBias.initialRho(initialBiases));
        Fp4Format weightFormat = initial;
        double[] rowBiases = RowBiases.minMax(initial, w, out, in);
        float[] xq = new float[n * in];
        float[] wq = new float[out * in];
        for (int round = 0; round < settings.rounds(); round++) {
            act.fakeQuantize(xs, n, in, xq);
            WeightCandidateError weightError = WeightCandidateError.of(w, out, in, xs, xq, n);
            WeightBiasSearch.Result bestWeights = null;
            for (Fp4Format f : formats) {
                WeightBiasSearch.Result r = weightSearches.get(f).search(w, out, in, weightError);
                if (bestWeights == null || r.error() < bestWeights.error()) {
                    bestWeights = r;
                    weightFormat = f;
                }
            }
            rowBiases = bestWeights.rowBiases();
            RowBiases.fakeQuantize(weightFormat, w, out, in, rowBiases, wq);
            InputCandidateError inputError = InputCandidateError.of(xs, n, in, w, wq, out);
            ActivationBiasSearch.Result bestInputs = null;
            for (Fp4Format f : formats) {
                ActivationBiasSearch.Result r =
                        activationSearches.get(f).search(channelBiases.get(f), xs, n, in, inputError);
                if (bestInputs == null || r.error() < bestInputs.error()) {
                    bestInputs = r;
                }
            }
            act = bestInputs.bias();
        }
        return Fp4Linear.fold(w, out, in, weightFormat, rowBiases, act);
    }

    /** All rows, or an even stride through them, at most {@code maxSearchTokens} of them, starting at row 0. */
    private float[] searchRows(float[] x, int rows, int in) {
        int cap = settings.maxSearchTokens();
        if (cap == Fp4Settings.ALL_TOKENS || rows <= cap) {
            return x.length == rows * in ? x : Arrays.copyOf(x, rows * in);
        }
        int stride = (rows + cap - 1) / cap;
        int n = (rows + stride - 1) / stride;
        float[] xs = new float[n * in];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, i * stride * in, xs, i * in, in);
        }
        return xs;
    }
}
