package io.djlint4.quant.fp4;

import io.djlint4.kernels.Fp4Format;
import io.djlint4.kernels.Fp4Rounding;
import io.djlint4.kernels.KernelThreads;

/**
 * The bias of one linear layer's input (ALGORITHMS.md §5.4): a real tensor-wise bias ρ and an
 * integer shift {@code k_j ∈ [0, 2^E − 1]} per input channel, so channel {@code j} is quantized
 * with bias {@code ρ + k_j}, i.e. {@code x̂_j = 2^(−k_j)·Q_ρ(2^(k_j)·x_j)}.
 *
 * @param format the FP4 format
 * @param rho the tensor-wise real bias ρ
 * @param shifts {@code k_j} per input channel
 */
public record ActivationBias(Fp4Format format, double rho, int[] shifts) {

    /**
     * Returns every channel's ideal bias {@code b_j = β(max_t |x_tj|)}.
     *
     * @param format the FP4 format
     * @param x the calibration inputs, row-major {@code [rows, width]}
     * @param rows the number of rows
     * @param width the number of channels
     * @return {@code b_j}; {@code +∞} for a channel that is zero throughout (log2(0) is guarded)
     */
    public static double[] channelBiases(Fp4Format format, float[] x, int rows, int width) {
        float[] max = new float[width];
        for (int t = 0; t < rows; t++) {
            for (int j = 0; j < width; j++) {
                max[j] = Math.max(max[j], Math.abs(x[t * width + j]));
            }
        }
        double[] b = new double[width];
        for (int j = 0; j < width; j++) {
            b[j] = max[j] > 0 ? format.biasForMax(max[j]) : Double.POSITIVE_INFINITY;
        }
        return b;
    }

    /**
     * Returns the initial tensor bias {@code ρ0 = min_j b_j}: the largest channel's range.
     *
     * @param channelBiases {@code b_j}
     * @return ρ0, or 0 when every channel is zero
     */
    public static double initialRho(double[] channelBiases) {
        double rho = Double.POSITIVE_INFINITY;
        for (double b : channelBiases) {
            rho = Math.min(rho, b);
        }
        return Double.isInfinite(rho) ? 0 : rho;
    }

    /**
     * Splits the channel biases around a tensor bias: {@code k_j = clamp(round(b_j) − round(ρ), 0,
     * 2^E − 1)}, and {@code 2^E − 1} for an all-zero channel.
     *
     * @param format the FP4 format
     * @param channelBiases {@code b_j}
     * @param rho ρ
     * @return the bias
     */
    public static ActivationBias of(Fp4Format format, double[] channelBiases, double rho) {
        int maxShift = (1 << format.exponentBits()) - 1;
        long r = Math.round(rho);
        int[] k = new int[channelBiases.length];
        for (int j = 0; j < k.length; j++) {
            double b = channelBiases[j];
            k[j] = Double.isInfinite(b) ? maxShift : (int) Math.max(0, Math.min(maxShift, Math.round(b) - r));
        }
        return new ActivationBias(format, rho, k);
    }

    /**
     * Returns the unit of ρ, the real scale of the integer grid.
     *
     * @return {@code 2^(1 − M − ρ)} as a float
     */
    public float unit() {
        return (float) format.unit(rho);
    }

    /**
     * Quantizes rows with the per-channel bias, shifts undone: {@code 2^(−k_j)·Q_ρ(2^(k_j)·x_j)},
     * the activations of the unfolded layer the search measures.
     *
     * @param x the input {@code [rows, width]}
     * @param rows the number of rows
     * @param width the number of channels, {@code shifts.length}
     * @param out receives the dequantized rows
     */
    public void fakeQuantize(float[] x, int rows, int width, float[] out) {
        float[] units = channelUnits();
        KernelThreads.parallelFor(rows, FakeQuantizeGrain.rows(width), (from, to) -> {
            for (int t = from; t < to; t++) {
                Fp4Rounding.quantizeRow(format, x, t * width, units, width, out);
            }
        });
    }

    /**
     * Returns each channel's unit {@code 2^(−k_j)·unit()}. Scaling by a power of two is exact for
     * normal floats, so rounding {@code x} on it gives {@code 2^(−k_j)·Q_ρ(2^(k_j)·x)} bit for bit,
     * without the two scalings per value (the bias search quantizes every calibration input once
     * per candidate).
     *
     * @return the unit of every channel
     */
    float[] channelUnits() {
        float u = unit();
        float[] units = new float[shifts.length];
        for (int j = 0; j < units.length; j++) {
            units[j] = Math.scalb(u, -shifts[j]);
        }
        return units;
    }
}
