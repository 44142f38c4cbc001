package io.djlint4.quant.fp4;

import io.djlint4.kernels.Fp4Format;
import io.djlint4.kernels.PackedFp4Matrix;
import io.djlint4.model.LinearLayer;
import io.djlint4.quant.Execution;
import io.djlint4.quant.SimulatedQuantLinear;

/**
 * One linear layer quantized by LLM-FP4: packed FP4 weights with a real bias per output row and
 * the input's channel shifts {@code 2^(−k_j)} folded into the decoded columns, and the input's
 * bias. The weight is quantized unshifted and the shift applied to the decoded value, as the
 * parity note of §5.4 requires, so the fold is exact.
 *
 * @param weights the packed weights, channel shifts folded
 * @param rowBiases the real bias β_o of each output row
 * @param activations the input's bias ρ and shifts {@code k_j}
 */
public record Fp4Linear(PackedFp4Matrix weights, double[] rowBiases, ActivationBias activations) {

    /**
     * Quantizes a weight in its input's format with given row biases and folds the input's channel
     * shifts into it.
     *
     * @param w the full-precision weight {@code [out, in]}
     * @param out output channels
     * @param in input channels
     * @param rowBiases β_o per row
     * @param activations the input's bias; its format is the weight's format too
     * @return the layer
     */
    public static Fp4Linear fold(float[] w, int out, int in, double[] rowBiases, ActivationBias activations) {
        return fold(w, out, in, activations.format(), rowBiases, activations);
    }

    /**
     * Quantizes a weight with given format and row biases and folds the input's channel shifts into
     * it; weight and input formats may differ (the format search chooses each per layer, §5.5).
     *
     * @param w the full-precision weight {@code [out, in]}
     * @param out output channels
     * @param in input channels
     * @param weightFormat the weight's format
     * @param rowBiases β_o per row, in the weight's format
     * @param activations the input's bias, in its own format
     * @return the layer
     */
    public static Fp4Linear fold(
            float[] w, int out, int in, Fp4Format weightFormat, double[] rowBiases, ActivationBias activations) {
        if (activations.shifts().length != in) {
            throw new IllegalArgumentException(
                    "weight has " + in + " input channels, the activation bias " + activations.shifts().length);
        }
        float[] units = RowBiases.units(weightFormat, rowBiases);
        byte[] codes = new byte[out * in];
        for (int o = 0; o < out; o++) {
            for (int j = 0; j < in; j++) {
                codes[o * in + j] = (byte) weightFormat.encode(w[o * in + j] / units[o]);
            }
        }
        return fromCodes(codes, out, in, weightFormat, rowBiases, activations);
    }

    /**
     * Rebuilds a layer from its codes, e.g. read back from a saved model: the same codes, row
     * biases and input bias give the same layer, bit for bit.
     *
     * @param codes row-major {@code [out, in]} FP4 codes, 0..15, channel shifts not applied
     * @param out output channels
     * @param in input channels
     * @param weightFormat the weight's format
     * @param rowBiases β_o per row, in the weight's format
     * @param activations the input's bias, in its own format
     * @return the layer
     */
    public static Fp4Linear fromCodes(
            byte[] codes, int out, int in, Fp4Format weightFormat, double[] rowBiases, ActivationBias activations) {
        PackedFp4Matrix packed = PackedFp4Matrix.fromCodes(
                codes, RowBiases.units(weightFormat, rowBiases), activations.shifts(), out, in, weightFormat);
        return new Fp4Linear(packed, rowBiases.clone(), activations);
    }

    /**
     * Returns the runnable layer: on the packed FP4 kernels, or as the reference, pre-shifted FP4
     * activations times the folded dequantized weight in float. Both use the same codes.
     *
     * @param bias the layer's bias, or {@code null}
     * @param execution packed or simulated
     * @return the layer
     */
    public LinearLayer layer(float[] bias, Execution execution) {
        if (execution == Execution.PACKED) {
            return new PackedFp4Linear(weights, activations, bias);
        }
        return new SimulatedQuantLinear(null, new Fp4ActivationQuantizer(activations), weights.dequantize(), bias,
                weights.rows(), weights.cols(), 8 * weights.packedBytes());
    }
}
