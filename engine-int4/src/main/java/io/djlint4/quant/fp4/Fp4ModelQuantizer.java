package io.djlint4.quant.fp4;

import io.djlint4.model.DecoderLayer;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.DenseLinear;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.KvCacheScheme;
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
import io.djlint4.quant.Execution;
import io.djlint4.quant.calib.CalibrationSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an LLM-FP4 model (ALGORITHMS.md §5.6): every decoder projection and the classifier get
 * FP4 weights and FP4 inputs, each in the format its search chose, calibrated one module at a
 * time in model order, each on the inputs
 * the already-quantized modules before it produce. The residual streams of all calibration
 * sequences are kept between layers, so each layer runs five times (once per input slot, once for
 * its output) and the model is never re-run from the start. The embedding table and attention
 * products stay in full precision, and so does the KV cache unless a cache scheme is given. The
 * projections run on the packed FP4 kernels unless built simulated; calibration runs each module
 * the way the finished model will.
 */
public final class Fp4ModelQuantizer {

    private final Fp4LinearCalibrator calibrator;
    private final CalibrationProgress progress;
    private final Execution execution;

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
        this(settings, progress, Execution.PACKED);
    }

    /**
     * Creates the quantizer that reports each calibrated layer and runs the quantized projections,
     * during calibration too, as {@code execution} says.
     *
     * @param settings format and search constants
     * @param progress hears of each finished layer
     * @param execution packed FP4 kernels or simulated
     */
    public Fp4ModelQuantizer(Fp4Settings settings, CalibrationProgress progress, Execution execution) {
        this.calibrator = new Fp4LinearCalibrator(settings);
        this.progress = progress;
        this.execution = execution;
    }

    /**
     * Quantizes a model.
     *
     * @param weights the full-precision weights (not modified)
     * @param calibration the calibration sequences
     * @return the FP4 model
     */
    public DecoderModel quantize(ModelWeights weights, CalibrationSet calibration) {
        return quantize(weights, calibration, KvCacheScheme.FULL_PRECISION).model();
    }

    /**
     * Quantizes a model whose layers also treat the KV cache as a scheme says. LLM-FP4 itself
     * leaves the cache in full precision (§5.3); with a cache quantizer (the {@code kv4} token) the
     * calibration already runs with the rounded cache, so every module is calibrated on the inputs
     * the final model gives it.
     *
     * @param weights the full-precision weights (not modified)
     * @param calibration the calibration sequences
     * @param kvScheme the treatment of queries, keys and values between rope and the cache
     * @return the FP4 model and the formats chosen for each linear
     */
    public Fp4Model quantize(ModelWeights weights, CalibrationSet calibration, KvCacheScheme kvScheme) {
        ModelConfig c = weights.config();
        RotaryEmbedding rope = weights.rotaryEmbedding();
        DecoderModel embedder = DecoderModel.fromWeights(weights);
        float[][] hidden = new float[calibration.count()][];
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = embedder.embed(calibration.sequences().get(i));
        }
        DecoderLayer[] layers = new DecoderLayer[c.numLayers()];
        List<Fp4FormatChoice> formats = new ArrayList<>();
        Fp4Linear[][] linears = new Fp4Linear[c.numLayers()][LinearKind.values().length];
        for (int l = 0; l < layers.length; l++) {
            LayerWeights lw = weights.layers()[l];
            Map<LinearKind, LinearLayer> done = new EnumMap<>(LinearKind.class);
            for (LinearSlot slot : LinearSlot.values()) {
                float[] x = slotInputs(layer(c, l, lw, done, kvScheme), l, slot, hidden, c.hiddenSize(), rope);
                for (LinearKind kind : LinearKind.readingFrom(slot)) {
                    int in = kind.inFeatures(c);
                    Fp4Linear q = calibrator.calibrate(lw.weight(kind), kind.outFeatures(c), in, x, x.length / in);
                    formats.add(Fp4FormatChoice.of("layers." + l + "." + kind.moduleName(), q));
                    done.put(kind, q.layer(lw.bias(kind), execution));
                    linears[l][kind.ordinal()] = q;
                }
            }
            layers[l] = layer(c, l, lw, done, kvScheme);
            for (float[] h : hidden) {
                layers[l].forward(l, h, request(h.length / c.hiddenSize(), null), rope);
            }
            progress.update("fp4 layers", l + 1, layers.length + 1);
        }
        RmsNorm finalNorm = new RmsNorm(weights.finalNorm(), c.rmsNormEps());
        float[] normed = concat(hidden);
        int rows = normed.length / c.hiddenSize();
        finalNorm.apply(normed, 0, normed, 0, rows);
        Fp4Linear lmHead = calibrator.calibrate(weights.lmHead(), c.vocabSize(), c.hiddenSize(), normed, rows);
        formats.add(Fp4FormatChoice.of("lm_head", lmHead));
        progress.update("fp4 layers", layers.length + 1, layers.length + 1);
        Fp4Layers calibrated = new Fp4Layers(linears, lmHead);
        return new Fp4Model(calibrated.model(weights, kvScheme, execution), formats, calibrated);
    }

    /** The layer with its calibrated projections quantized and the others still dense. */
    private static DecoderLayer layer(
            ModelConfig c, int index, LayerWeights lw, Map<LinearKind, LinearLayer> done, KvCacheScheme kvScheme) {
        return DecoderLayer.fromWeights(c, index, lw, (l, kind, weight, bias, out, in) -> done.containsKey(kind)
                ? done.get(kind)
                : new DenseLinear(weight, bias, out, in), kvScheme);
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
