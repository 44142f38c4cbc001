package io.djlint4.model;

/**
 * Builds the runnable layer for one projection of one decoder layer from its full-precision
 * weights: the point where a quantization recipe substitutes packed 4-bit layers.
 */
@FunctionalInterface
public interface LinearFactory {

    /** Full precision: every projection a {@link DenseLinear}. */
    LinearFactory DENSE = (layer, kind, weight, bias, out, in) -> new DenseLinear(weight, bias, out, in);

    /**
     * Creates the layer.
     *
     * @param layer the decoder layer index
     * @param kind which projection
     * @param weight the weight {@code [out, in]}
     * @param bias the bias or {@code null}
     * @param out the number of output features
     * @param in the number of input features
     * @return the layer to run
     */
    LinearLayer create(int layer, LinearKind kind, float[] weight, float[] bias, int out, int in);
}
