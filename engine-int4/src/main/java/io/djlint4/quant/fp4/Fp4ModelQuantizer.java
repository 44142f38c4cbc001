package io.djlint4.quant.fp4;

import io.djlint4.model.DecoderLayer;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.DenseLinear;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.LayerWeights;
import io.djlint4.model.LinearInputObserver;
import io.djlint4.model.LinearKind;
import io.djlint4.model.LinearLayer;
import io.djlint4.model.LinearSlot;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.model.RmsNorm;
import io.djlint4.model.RotaryEmbedding;
import io.djlint4.quant.CalibrationProgress;
import io.djlint4.quant.calib.CalibrationSet;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * Builds an LLM-FP4 model (ALGORITHMS.md §5.6): every decoder projection and the classifier get
 * FP4 weights and FP4 inputs, calibrated one module at a time in model order, each on the inputs
 * the already-quantized modules before it produce. The residual streams of all calibration
 * sequences are kept between layers, so each layer runs five times (once per input slot, once for
 * its output) and the model is never re-run from the start. The embedding table, attention
 * products and KV cache stay in full precision.
 */
public final class Fp4ModelQuantizer {

    private final Fp4LinearCalibrator calibrator;
    private final CalibrationProgress progress;

    /**
     * Creates the quantizer.
     *
     * @param settings format and search constants
     */
    public Fp4ModelQuantizer(Fp4Settings settings) {
        this(settings, CalibrationProgress.NONE);
    }

    /**
     * Creates the quantizer that reports each calibrated layer (the classifier counts as one).
     *
     * @param settings format and search constants
     * @param progress hears of each finished layer
     */
    public Fp4ModelQuantizer(Fp4Settings settings, CalibrationProgress progress) {
        this.calibrator = new Fp4LinearCalibrator(settings);
        this.progress = progress;
    }

    /**
     * Quantizes a model.
     *
     * @param weights the full-precision weights (not modified)
     * @param calibration the calibration sequences
     * @return the FP4 model
     */
    public DecoderModel quantize(ModelWeights weights, CalibrationSet calibration) {
        ModelConfig c = weights.config();
        RotaryEmbedding rope = weights.rotaryEmbedding();
        DecoderModel embedder = DecoderModel.fromWeights(weights);
        float[][] hidden = new float[calibration.count()][];
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = embedder.embed(calibration.sequences().get(i));
        }
        DecoderLayer[] layers = new DecoderLayer[c.numLayers()];
        for (int l = 0; l < layers.length; l++) {
            LayerWeights lw = weights.layers()[l];
            Map<LinearKind, LinearLayer> done = new EnumMap<>(LinearKind.class);
            for (LinearSlot slot : LinearSlot.values()) {
                float[] x = slotInputs(layer(c, l, lw, done), l, slot, hidden, c.hiddenSize(), rope);
                for (LinearKind kind : LinearKind.values()) {
                    if (kind.slot() == slot) {
                        int in = kind.inFeatures(c);
                        Fp4Linear q = calibrator.calibrate(lw.weight(kind), kind.outFeatures(c), in, x, x.length / in);
                        done.put(kind, q.layer(lw.bias(kind)));
                    }
                }
            }
            layers[l] = layer(c, l, lw, done);
            for (float[] h : hidden) {
                layers[l].forward(l, h, request(h.length / c.hiddenSize(), null), rope);
            }
            progress.update("fp4 layers", l + 1, layers.length + 1);
        }
        RmsNorm finalNorm = new RmsNorm(weights.finalNorm(), c.rmsNormEps());
        float[] normed = concat(hidden);
        int rows = normed.length / c.hiddenSize();
        finalNorm.apply(normed, 0, normed, 0, rows);
        LinearLayer lmHead =
                calibrator.calibrate(weights.lmHead(), c.vocabSize(), c.hiddenSize(), normed, rows).layer(null);
        progress.update("fp4 layers", layers.length + 1, layers.length + 1);
        return new DecoderModel(c, weights.tokenEmbedding(), layers, finalNorm, lmHead, rope);
    }

    /** The layer with its calibrated projections quantized and the others still dense. */
    private static DecoderLayer layer(ModelConfig c, int index, LayerWeights lw, Map<LinearKind, LinearLayer> done) {
        return DecoderLayer.fromWeights(c, index, lw, (l, kind, weight, bias, out, in) -> done.containsKey(kind)
                ? done.get(kind)
                : new DenseLinear(weight, bias, out, in));
    }

    /** Runs the layer on copies of the residual streams and returns one slot's inputs, all rows concatenated. */
    private static float[] slotInputs(
            DecoderLayer layer, int index, LinearSlot slot, float[][] hidden, int hiddenSize, RotaryEmbedding rope) {
        float[][] seen = new float[hidden.length][];
        for (int i = 0; i < hidden.length; i++) {
            int seq = i;
            float[] h = hidden[i].clone();
            layer.forward(index, h, request(h.length / hiddenSize, (l, s, x, rows, width) -> {
                if (s == slot) {
                    seen[seq] = Arrays.copyOf(x, rows * width);
                }
            }), rope);
        }
        return concat(seen);
    }

    /** A single unpadded sequence without cache; the layer reads only its shapes and observer. */
    private static ForwardRequest request(int seqLen, LinearInputObserver observer) {
        return new ForwardRequest(1, seqLen, new long[seqLen], null, null, null, false, observer);
    }

    private static float[] concat(float[][] parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] all = new float[n];
        int off = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, off, p.length);
            off += p.length;
        }
        return all;
    }
}
