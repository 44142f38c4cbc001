package io.djlint4.quant.fp4;

import io.djlint4.kernels.Fp4Format;

/**
 * The activation half of a search round (ALGORITHMS.md §5.5): the layer's tensor bias is the
 * candidate {@code c·ρ0} whose layer output, with the shifts {@code k_j} recomputed for that
 * candidate and the weights at their current biases, has the smallest squared error.
 */
final class ActivationBiasSearch {

    private final Fp4Format format;
    private final double[] multipliers;

    ActivationBiasSearch(Fp4Format format, double[] multipliers) {
        this.format = format;
        this.multipliers = multipliers.clone();
    }

    /**
     * Searches the tensor bias.
     *
     * @param channelBiases {@code b_j} from all calibration inputs
     * @param x the full-precision calibration inputs {@code [rows, in]}
     * @param objective the layer-output error of candidate inputs, with the weights at their
     *     current biases ({@link InputCandidateError})
     * @return the best candidate and the layer-output squared error it gives
     */
    Result search(double[] channelBiases, float[] x, int rows, int in, InputCandidateError objective) {
        double rho0 = ActivationBias.initialRho(channelBiases);
        ActivationBias best = null;
        double bestErr = Double.POSITIVE_INFINITY;
        float[] xq = new float[rows * in];
        for (double c : multipliers) {
            ActivationBias candidate = ActivationBias.of(format, channelBiases, rho0 * c);
            candidate.fakeQuantize(x, rows, in, xq);
            double err = objective.total(xq);
            if (best == null || err < bestErr) {
                bestErr = err;
                best = candidate;
            }
        }
        return new Result(best, bestErr);
    }

    /**
     * The outcome of an activation search.
     *
     * @param bias the best tensor bias with its channel shifts
     * @param error the squared error of the layer output with it
     */
    record Result(ActivationBias bias, double error) {}
}
