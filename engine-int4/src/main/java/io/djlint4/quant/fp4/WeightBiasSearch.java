package io.djlint4.quant.fp4;

import io.djlint4.kernels.Fp4Format;
import java.util.Arrays;

/**
 * The weight half of a search round (ALGORITHMS.md §5.5): every output row's bias is the candidate
 * {@code c·β0_o} that minimizes the squared error of that row's output over the calibration inputs,
 * the activations quantized with their current bias. Rows are independent, so one evaluation per
 * candidate scores all rows at once ({@link WeightCandidateError}).
 */
final class WeightBiasSearch {

    private final Fp4Format format;
    private final double[] multipliers;

    WeightBiasSearch(Fp4Format format, double[] multipliers) {
        this.format = format;
        this.multipliers = multipliers.clone();
    }

    /**
     * Searches the row biases.
     *
     * @param w the full-precision weight {@code [out, in]}
     * @param x the full-precision calibration inputs {@code [rows, in]}
     * @param xq the same inputs quantized at their current bias
     * @return the best candidate bias per row and the layer-output squared error it gives
     */
    Result search(float[] w, int out, int in, float[] x, float[] xq, int rows) {
        return search(w, out, in, WeightCandidateError.of(w, out, in, x, xq, rows));
    }

    /**
     * Searches the row biases against a prepared objective, which the formats of one round share.
     *
     * @param w the full-precision weight {@code [out, in]}
     * @param objective the error of a candidate on the calibration inputs
     * @return the best candidate bias per row and the layer-output squared error it gives
     */
    Result search(float[] w, int out, int in, WeightCandidateError objective) {
        double[] base = RowBiases.minMax(format, w, out, in);
        double[] best = base.clone();
        double[] bestErr = new double[out];
        Arrays.fill(bestErr, Double.POSITIVE_INFINITY);
        double[] candidate = new double[out];
        float[] wq = new float[out * in];
        for (double c : multipliers) {
            for (int o = 0; o < out; o++) {
                candidate[o] = base[o] * c;
            }
            RowBiases.fakeQuantize(format, w, out, in, candidate, wq);
            double[] err = objective.perRow(wq);
            for (int o = 0; o < out; o++) {
                if (err[o] < bestErr[o]) {
                    bestErr[o] = err[o];
                    best[o] = candidate[o];
                }
            }
        }
        double total = 0;
        for (double e : bestErr) {
            total += e;
        }
        return new Result(best, total);
    }

    /**
     * The outcome of a weight search.
     *
     * @param rowBiases the best bias of every row
     * @param error the squared error of the layer output with those biases (rows are independent,
     *     so the sum of the rows' best errors)
     */
    record Result(double[] rowBiases, double error) {}
}
