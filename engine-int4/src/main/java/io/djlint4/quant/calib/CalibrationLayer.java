package io.djlint4.quant.calib;

import io.djlint4.model.DecoderLayer;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.LayerWeights;
import io.djlint4.model.LinearFactory;
import io.djlint4.model.LinearInputObserver;
import io.djlint4.model.LinearKind;
import io.djlint4.model.LinearLayer;
import io.djlint4.model.LinearSlot;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.model.RotaryEmbedding;
import io.djlint4.model.RowTransform;
import io.djlint4.quant.rotation.OnlineRotations;
import io.djlint4.model.TransformedInputLinear;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * One decoder layer during calibration, in full-precision arithmetic with whatever weights have
 * been quantized so far: runs the layer on the residual streams of all calibration sequences,
 * records the inputs of chosen slots exactly as the projections see them (after the online
 * rotations in front of {@code o_proj} and {@code down_proj}), and evaluates the sub-block a projection belongs to.
 * Immutable: replacing a weight gives a new instance.
 */
final class CalibrationLayer {

    private final ModelConfig config;
    private final int index;
    private final LayerWeights weights;
    private final OnlineRotations online;
    private final RotaryEmbedding rope;
    private final DecoderLayer layer;

    /**
     * Creates the layer.
     *
     * @param config the model configuration
     * @param index the layer index
     * @param weights the layer's current weights
     * @param online the online rotations in front of {@code o_proj} and {@code down_proj}
     * @param rope the rotary embedding
     */
    CalibrationLayer(
            ModelConfig config, int index, LayerWeights weights, OnlineRotations online, RotaryEmbedding rope) {
        this.config = config;
        this.index = index;
        this.weights = weights;
        this.online = online;
        this.rope = rope;
        this.layer = DecoderLayer.fromWeights(config, index, weights, this::linear);
    }

    /**
     * Returns the residual stream entering the first layer: the embeddings of every sequence.
     *
     * @param weights the model weights
     * @param calib the calibration sequences
     * @return one {@code [length, hidden]} array per sequence
     */
    static float[][] embeddings(ModelWeights weights, CalibrationSet calib) {
        DecoderModel embedder = DecoderModel.fromWeights(weights);
        float[][] hidden = new float[calib.count()][];
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = embedder.embed(calib.sequences().get(i));
        }
        return hidden;
    }

    private LinearLayer linear(int l, LinearKind kind, float[] weight, float[] bias, int out, int in) {
        LinearLayer dense = new PanelLinear(weight, bias, out, in);
        RowTransform transform = online.forSlot(kind.slot());
        return transform != null ? new TransformedInputLinear(transform, dense) : dense;
    }

    /**
     * Returns the layer with one projection's weight replaced.
     *
     * @param kind the projection
     * @param weight the new weight
     * @return the new layer
     */
    CalibrationLayer with(LinearKind kind, float[] weight) {
        return new CalibrationLayer(config, index, weights.withWeight(kind, weight), online, rope);
    }

    ModelConfig config() {
        return config;
    }

    LayerWeights weights() {
        return weights;
    }

    /**
     * Runs the layer on every sequence.
     *
     * @param hidden the residual stream entering the layer, one {@code [length, hidden]} array per
     *     sequence (not modified)
     * @param capture the slots whose inputs to record
     * @return the residual stream leaving the layer and the recorded inputs
     */
    Pass run(float[][] hidden, Set<LinearSlot> capture) {
        float[][] out = new float[hidden.length][];
        Map<LinearSlot, float[][]> inputs = new EnumMap<>(LinearSlot.class);
        for (LinearSlot s : capture) {
            inputs.put(s, new float[hidden.length][]);
        }
        for (int i = 0; i < hidden.length; i++) {
            int seq = i;
            out[i] = hidden[i].clone();
            layer.forward(index, out[i], request(out[i].length / config.hiddenSize(), (l, slot, x, rows, width) -> {
                if (capture.contains(slot)) {
                    inputs.get(slot)[seq] = asSeen(slot, x, rows, width);
                }
            }), rope);
        }
        return new Pass(out, inputs);
    }

    /**
     * Returns the q/k/v input of every sequence: the attention norm of its residual stream. With
     * {@link #oInputs}, {@link #plusProjection}, {@link #mlpInputs} and {@link #downInputs} this
     * runs the layer one sub-block at a time, each once, where {@link #run} runs the whole layer
     * for every slot; the results are the same as {@link #run}'s.
     *
     * @param hidden the residual stream entering the layer, per sequence (not modified)
     * @return the normed rows, per sequence
     */
    float[][] attentionInputs(float[][] hidden) {
        float[][] out = new float[hidden.length][];
        for (int i = 0; i < hidden.length; i++) {
            out[i] = layer.attentionNorm(hidden[i], rows(hidden[i]));
        }
        return out;
    }

    /**
     * Runs attention with the current q, k and v and returns what reaches o_proj, before any
     * online rotation ({@link #asSeen(LinearSlot, float[][], int)} applies it).
     *
     * @param normed the q/k/v inputs, per sequence
     * @return the o_proj inputs, per sequence
     */
    float[][] oInputs(float[][] normed) {
        float[][] out = new float[normed.length][];
        for (int i = 0; i < normed.length; i++) {
            int seq = i;
            layer.attentionBlock(index, normed[i], request(rows(normed[i]), (l, slot, x, rows, width) -> {
                if (slot == LinearSlot.O) {
                    out[seq] = x.clone();
                }
            }), rope);
        }
        return out;
    }

    /**
     * Adds a projection's output to the residual stream: the stream after the sub-block that
     * projection ends (o_proj: attention; down_proj: the MLP), with its current weight.
     *
     * @param hidden the residual stream before the sub-block, per sequence (not modified)
     * @param kind {@link LinearKind#O} or {@link LinearKind#DOWN}
     * @param inputs the projection's inputs as {@link #oInputs} or {@link #downInputs} give them
     * @return the residual stream after the sub-block, per sequence
     */
    float[][] plusProjection(float[][] hidden, LinearKind kind, float[][] inputs) {
        LinearLayer projection = linear(index, kind, weights.weight(kind), weights.bias(kind),
                kind.outFeatures(config), kind.inFeatures(config));
        float[][] out = new float[hidden.length][];
        for (int i = 0; i < hidden.length; i++) {
            int rows = rows(hidden[i]);
            float[] y = new float[rows * config.hiddenSize()];
            projection.forward(inputs[i], rows, y);
            out[i] = hidden[i].clone();
            for (int j = 0; j < y.length; j++) {
                out[i][j] += y[j];
            }
        }
        return out;
    }

    /**
     * Returns the gate/up input of every sequence: the MLP norm of its residual stream.
     *
     * @param hidden the residual stream after attention, per sequence
     * @return the normed rows, per sequence
     */
    float[][] mlpInputs(float[][] hidden) {
        float[][] out = new float[hidden.length][];
        for (int i = 0; i < hidden.length; i++) {
            out[i] = layer.mlpNorm(hidden[i], rows(hidden[i]));
        }
        return out;
    }

    /**
     * Runs gate and up with their current weights and returns the down_proj inputs, before any
     * online rotation.
     *
     * @param normed the gate/up inputs, per sequence
     * @return the down_proj inputs, per sequence
     */
    float[][] downInputs(float[][] normed) {
        float[][] out = new float[normed.length][];
        for (int i = 0; i < normed.length; i++) {
            out[i] = layer.downInput(normed[i], rows(normed[i]));
        }
        return out;
    }

    /**
     * Returns a slot's inputs in the form its projections multiply (after the slot's online
     * rotation; the arrays themselves when it has none).
     *
     * @param slot the slot
     * @param inputs the inputs per sequence, as the layer computes them
     * @param width the slot's input width
     * @return the inputs as the projections see them
     */
    float[][] asSeen(LinearSlot slot, float[][] inputs, int width) {
        if (online.forSlot(slot) == null) {
            return inputs;
        }
        float[][] out = new float[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            out[i] = asSeen(slot, inputs[i], inputs[i].length / width, width);
        }
        return out;
    }

    private int rows(float[] hiddenRows) {
        return hiddenRows.length / config.hiddenSize();
    }

    /** Copies an observed slot input into the form the slot's projections multiply. */
    private float[] asSeen(LinearSlot slot, float[] x, int rows, int width) {
        float[] copy = new float[rows * width];
        RowTransform transform = online.forSlot(slot);
        if (transform != null) {
            transform.apply(x, rows, copy);
        } else {
            System.arraycopy(x, 0, copy, 0, copy.length);
        }
        return copy;
    }

    /**
     * Computes the output of the block AdaDim measures for a projection (§6.3 of ALGORITHMS.md):
     * the whole attention sub-block for q/k/v, the whole MLP for gate/up, the projection alone
     * for o and down.
     *
     * @param kind the projection
     * @param inputs the inputs of the projection's slot, per sequence, as {@link #run} records them
     * @return the block output per sequence
     */
    float[][] blockOutput(LinearKind kind, float[][] inputs) {
        float[][] out = new float[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            float[] x = inputs[i];
            int rows = x.length / kind.inFeatures(config);
            out[i] = switch (kind) {
                case Q, K, V -> layer.attentionBlock(index, x, request(rows, null), rope);
                case GATE, UP -> layer.mlpBlock(index, x, rows, null);
                case O, DOWN -> {
                    float[] y = new float[rows * kind.outFeatures(config)];
                    new PanelLinear(weights.weight(kind), weights.bias(kind), kind.outFeatures(config), kind.inFeatures(config))
                            .forward(x, rows, y);
                    yield y;
                }
            };
        }
        return out;
    }

    /** A single unpadded sequence; the layer reads only the shapes and the observer. */
    private static ForwardRequest request(int seqLen, LinearInputObserver observer) {
        return new ForwardRequest(1, seqLen, new long[seqLen], null, null, null, false, observer);
    }

    /**
     * The result of running the layer.
     *
     * @param output the residual stream after the layer, per sequence
     * @param inputs the recorded slot inputs, per sequence
     */
    record Pass(float[][] output, Map<LinearSlot, float[][]> inputs) {}
}
