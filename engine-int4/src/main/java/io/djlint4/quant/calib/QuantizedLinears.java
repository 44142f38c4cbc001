package io.djlint4.quant.calib;

import io.djlint4.model.LinearKind;
import io.djlint4.quant.weight.QuantizedMatrix;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of calibrated weight quantization: the quantized weights of every decoder
 * projection and, for AdaDim, the layout chosen for each.
 */
public final class QuantizedLinears {

    /** Reads one projection's quantized weights when they are asked for. */
    @FunctionalInterface
    public interface Source {
        /**
         * Reads a projection.
         *
         * @param layer the decoder layer index
         * @param kind the projection
         * @return the codes and grids
         */
        QuantizedMatrix read(int layer, LinearKind kind);
    }

    private final QuantizedMatrix[][] matrices;
    private final Source source;
    private final List<LayoutChoice> choices = new ArrayList<>();

    /**
     * Creates an empty set for a model; every projection is then {@link #put}.
     *
     * @param layers the number of decoder layers
     */
    public QuantizedLinears(int layers) {
        this(layers, null);
    }

    private QuantizedLinears(int layers, Source source) {
        this.matrices = new QuantizedMatrix[layers][LinearKind.values().length];
        this.source = source;
    }

    /**
     * Creates a set whose projections are read from {@code source} each time they are asked for and
     * not kept, so that building a model from a saved file holds one projection's codes at a time
     * (SmolLM2: 106 MB of codes) instead of all of them.
     *
     * @param layers the number of decoder layers
     * @param source reads a projection
     * @return the set
     */
    public static QuantizedLinears reading(int layers, Source source) {
        return new QuantizedLinears(layers, source);
    }

    /**
     * Sets the quantized weights of one projection.
     *
     * @param layer the decoder layer index
     * @param kind the projection
     * @param m the codes and grids
     */
    public void put(int layer, LinearKind kind, QuantizedMatrix m) {
        matrices[layer][kind.ordinal()] = m;
    }

    /**
     * Stops calibration when quantization produced a non-finite weight, as the reference code
     * does, rather than letting NaN reach the model.
     */
    static float[] requireFinite(int layer, LinearKind kind, float[] w) {
        for (float v : w) {
            if (!Float.isFinite(v)) {
                throw new IllegalStateException(
                        "layer " + layer + " " + kind.moduleName() + ": quantization produced a non-finite weight");
            }
        }
        return w;
    }

    void addChoice(LayoutChoice c) {
        choices.add(c);
    }

    /**
     * Returns the quantized weights of one projection.
     *
     * @param layer the decoder layer index
     * @param kind the projection
     * @return the codes and grids
     */
    public QuantizedMatrix get(int layer, LinearKind kind) {
        QuantizedMatrix m = matrices[layer][kind.ordinal()];
        if (m == null && source != null) {
            return source.read(layer, kind);
        }
        if (m == null) {
            throw new IllegalStateException("layer " + layer + " " + kind.moduleName() + " was not quantized");
        }
        return m;
    }

    /**
     * Returns the number of decoder layers.
     *
     * @return the layer count
     */
    public int layers() {
        return matrices.length;
    }

    /**
     * Returns AdaDim's per-projection decisions in the order they were made.
     *
     * @return the choices; empty when the layouts were not chosen adaptively
     */
    public List<LayoutChoice> layoutChoices() {
        return List.copyOf(choices);
    }
}
