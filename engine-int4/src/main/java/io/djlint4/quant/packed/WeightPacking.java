package io.djlint4.quant.packed;

import io.djlint4.kernels.PackedInt4Matrix;
import io.djlint4.kernels.PackedInt4PerIcMatrix;
import io.djlint4.quant.weight.DoubleQuantizedWeights;
import io.djlint4.quant.weight.PerIcQuantizedWeights;
import io.djlint4.quant.weight.QuantizedWeights;

/**
 * Moves a weight quantizer's codes and grids into the kernels' packed formats, unchanged: the
 * packed matrix dequantizes to exactly what the quantizer's {@code dequantize()} gives.
 */
final class WeightPacking {

    private WeightPacking() {}

    /**
     * Returns whether the codes fit a nibble and the groups the per-OC tile layout.
     *
     * @param w the quantized weights
     * @return {@code true} when {@link #perOutputChannel} accepts them
     */
    static boolean packable(QuantizedWeights w) {
        return w.quantizer().bits() <= 4 && PackedInt4Matrix.supportsGroupSize(w.groupSize(), w.cols());
    }

    /**
     * Returns whether the codes fit a nibble.
     *
     * @param w the quantized weights
     * @return {@code true} when {@link #perInputChannel} accepts them
     */
    static boolean packable(PerIcQuantizedWeights w) {
        return w.quantizer().bits() <= 4;
    }

    /**
     * Returns whether the codes fit a nibble and the groups the per-OC tile layout.
     *
     * @param w the double-quantized weights
     * @return {@code true} when {@link #withFloatMinimums} accepts them
     */
    static boolean packable(DoubleQuantizedWeights w) {
        return w.bits() <= 4 && PackedInt4Matrix.supportsGroupSize(w.groupSize(), w.cols());
    }

    /**
     * Packs weights on grids with a float minimum: their steps as scales, {@code −min/step} as
     * zero points.
     *
     * @param w the double-quantized weights, at most 4 bits
     * @return the packed matrix
     */
    static PackedInt4Matrix withFloatMinimums(DoubleQuantizedWeights w) {
        return PackedInt4Matrix.fromFractionalZeros(
                w.codes(), w.scales(), w.zeroPoints(), w.rows(), w.cols(), w.groupSize());
    }

    /**
     * Packs per-output-channel (or grouped along the input) weights.
     *
     * @param w the quantized weights, at most 4 bits
     * @return the packed matrix
     */
    static PackedInt4Matrix perOutputChannel(QuantizedWeights w) {
        byte[] zeros = w.quantizer().symmetric() ? null : toBytes(w.zeros());
        return PackedInt4Matrix.fromCodes(w.codes(), w.scales(), zeros, w.rows(), w.cols(), w.groupSize());
    }

    /**
     * Packs AdaDim's per-input-channel weights.
     *
     * @param w the quantized weights, at most 4 bits
     * @return the packed matrix
     */
    static PackedInt4PerIcMatrix perInputChannel(PerIcQuantizedWeights w) {
        byte[] zeros = w.quantizer().symmetric() ? null : toBytes(w.zeros());
        return PackedInt4PerIcMatrix.fromCodes(w.codes(), w.scales(), zeros, w.rows(), w.cols(), w.groupSize());
    }

    private static byte[] toBytes(int[] zeros) {
        byte[] b = new byte[zeros.length];
        for (int i = 0; i < zeros.length; i++) {
            b[i] = (byte) zeros[i];
        }
        return b;
    }
}
