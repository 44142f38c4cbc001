package io.djlint4.quant.packed;

import io.djlint4.kernels.PackedInt4Matrix;
import io.djlint4.model.LinearLayer;
import io.djlint4.quant.weight.DoubleQuantizedWeights;
import io.djlint4.quant.weight.PerIcQuantizedWeights;
import io.djlint4.quant.weight.QuantizedMatrix;
import io.djlint4.quant.weight.QuantizedWeights;
import java.util.Optional;

/** Chooses the packed kernel that runs one quantized projection. */
public final class PackedLinears {

    private PackedLinears() {}

    /**
     * Builds the packed layer for quantized weights and an input treatment: float inputs run on
     * the W4×FP32 product (per-OC, grouped or per-IC weights), quantized inputs on the integer
     * GEMM, smoothed inputs and inputs with grids per channel group on the W4×FP32 product of
     * their dequantized codes.
     *
     * @param weights the codes and grids of the projection
     * @param bias the bias or {@code null}
     * @param inputs how inputs are quantized
     * @return the layer, or empty when no kernel takes this combination (weights wider than 4
     *     bits, groups that are no multiple of 8 channels, per-IC weights with quantized inputs,
     *     double-quantized weights with asymmetric or smoothed inputs on the integer product): the
     *     caller then runs it simulated
     */
    public static Optional<LinearLayer> create(QuantizedMatrix weights, float[] bias, InputQuantization inputs) {
        if (weights instanceof DoubleQuantizedWeights dq) {
            boolean integerProduct = !inputs.fullPrecision() && inputs.tokenGroup() == 0;
            if (!WeightPacking.packable(dq) || (integerProduct && (!inputs.symmetric() || inputs.smoothGroup() > 0))) {
                return Optional.empty();
            }
            PackedInt4Matrix packed = WeightPacking.withFloatMinimums(dq);
            return Optional.of(inputs.fullPrecision()
                    ? WeightOnlyLinear.expanded(packed, bias, nibbleBits(dq))
                    : new QuantizedInputLinear(packed, bias, inputs, nibbleBits(dq)));
        }
        if (weights instanceof PerIcQuantizedWeights perIc) {
            return inputs.fullPrecision() && WeightPacking.packable(perIc)
                    ? Optional.of(WeightOnlyLinear.of(WeightPacking.perInputChannel(perIc), bias))
                    : Optional.empty();
        }
        QuantizedWeights perOc = (QuantizedWeights) weights;
        if (!WeightPacking.packable(perOc)) {
            return Optional.empty();
        }
        if (inputs.fullPrecision()) {
            return Optional.of(WeightOnlyLinear.of(WeightPacking.perOutputChannel(perOc), bias));
        }
        return Optional.of(new QuantizedInputLinear(WeightPacking.perOutputChannel(perOc), bias, inputs));
    }

    /** The coded bits with each code in a nibble of its own, as packed (and saved). */
    private static long nibbleBits(DoubleQuantizedWeights dq) {
        return dq.storedBits() + (4L - dq.bits()) * dq.rows() * dq.cols();
    }
}
