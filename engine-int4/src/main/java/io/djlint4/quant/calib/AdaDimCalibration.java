package io.djlint4.quant.calib;

import io.djlint4.model.LinearKind;
import io.djlint4.model.LinearSlot;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.model.RotaryEmbedding;
import io.djlint4.quant.CalibrationProgress;
import io.djlint4.quant.weight.Gptq;
import io.djlint4.quant.weight.PerIcQuantizedWeights;
import io.djlint4.quant.weight.QuantizedMatrix;
import io.djlint4.quant.weight.RtnQuantizer;
import io.djlint4.quant.rotation.OnlineRotations;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;

/**
 * AdaDim (§6.3–6.4 of ALGORITHMS.md): for every projection, in the order q, k, v, o, gate, up,
 * down, quantize the original weights by RTN once per-OC and once per-IC, measure the mean squared
 * error of the projection's block output on calibration data against the block with the current
 * weights (earlier projections of the layer already quantized), and keep the layout with the
 * smaller error (per-OC on ties). RTN-ada keeps that RTN result; GPTQ-ada re-quantizes the
 * original weights with GPTQ in the chosen layout. As in the reference code, every layer's inputs
 * are recorded once from the full-precision layer, and the next layer is fed the full-precision
 * output: quantization error is not propagated across layers.
 */
public final class AdaDimCalibration {

    private final RtnQuantizer trial;
    private final Gptq gptq;
    private final CalibrationProgress progress;

    /**
     * Creates the calibration.
     *
     * @param trial the RTN quantizer of the trials (and the result of RTN-ada); its group size
     *     applies along columns per-OC and along rows per-IC
     * @param gptq the GPTQ quantizer of GPTQ-ada (same grid and group size), or {@code null} for
     *     RTN-ada
     */
    public AdaDimCalibration(RtnQuantizer trial, Gptq gptq) {
        this(trial, gptq, CalibrationProgress.NONE);
    }

    /**
     * Creates the calibration that reports each finished layer.
     *
     * @param trial the RTN quantizer of the trials (and the result of RTN-ada)
     * @param gptq the GPTQ quantizer of GPTQ-ada, or {@code null} for RTN-ada
     * @param progress hears of each finished layer
     */
    public AdaDimCalibration(RtnQuantizer trial, Gptq gptq, CalibrationProgress progress) {
        this.trial = trial;
        this.gptq = gptq;
        this.progress = progress;
    }

    /**
     * Chooses the layouts and quantizes every decoder projection.
     *
     * @param weights the full-precision weights, already rotated when the recipe rotates (not
     *     modified)
     * @param online the online rotations of the rotated model ({@link OnlineRotations#NONE} when
     *     unrotated)
     * @param calib the calibration sequences
     * @return the quantized projections and the choice made for each
     */
    public QuantizedLinears quantize(ModelWeights weights, OnlineRotations online, CalibrationSet calib) {
        ModelConfig c = weights.config();
        RotaryEmbedding rope = weights.rotaryEmbedding();
        QuantizedLinears result = new QuantizedLinears(c.numLayers());
        float[][] hidden = CalibrationLayer.embeddings(weights, calib);
        for (int l = 0; l < c.numLayers(); l++) {
            CalibrationLayer layer = new CalibrationLayer(c, l, weights.layers()[l], online, rope);
            CalibrationLayer.Pass fp = layer.run(hidden, EnumSet.allOf(LinearSlot.class));
            Map<LinearSlot, double[]> hessians = new EnumMap<>(LinearSlot.class);
            for (LinearKind kind : LinearKind.values()) {
                float[][] x = fp.inputs().get(kind.slot());
                float[] original = layer.weights().weight(kind);
                int out = kind.outFeatures(c);
                int in = kind.inFeatures(c);
                float[][] reference = layer.blockOutput(kind, x);
                QuantizedMatrix perOc = trial.quantize(original, out, in);
                double ocError = error(layer, kind, perOc, x, reference);
                QuantizedMatrix chosen = perOc;
                double icError = Double.NaN;
                if (PerIcQuantizedWeights.groupRows(trial.groupSize(), out) > 0) {
                    QuantizedMatrix perIc = trial.quantizePerInputChannel(original, out, in);
                    icError = error(layer, kind, perIc, x, reference);
                    if (icError < ocError) {
                        chosen = perIc;
                    }
                }
                if (gptq != null) {
                    double[] h = hessians.computeIfAbsent(kind.slot(), s -> SlotHessian.of(x, in));
                    chosen = gptq.quantize(original, out, in, h, chosen.layout());
                }
                result.put(l, kind, chosen);
                result.addChoice(new LayoutChoice(l, kind, chosen.layout(), ocError, icError));
                layer = layer.with(kind, QuantizedLinears.requireFinite(l, kind, chosen.dequantize()));
            }
            hidden = fp.output();
            progress.update("adadim layers", l + 1, c.numLayers());
        }
        return result;
    }

    private static double error(
            CalibrationLayer layer, LinearKind kind, QuantizedMatrix q, float[][] x, float[][] reference) {
        return meanSquaredError(layer.with(kind, q.dequantize()).blockOutput(kind, x), reference);
    }

    /**
     * Returns the mean of the squared element differences over all sequences.
     *
     * @param a one output per sequence
     * @param b the other, same shapes
     * @return the mean squared error
     */
    static double meanSquaredError(float[][] a, float[][] b) {
        double sum = 0;
        long n = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                double d = a[i][j] - b[i][j];
                sum += d * d;
            }
            n += a[i].length;
        }
        return sum / n;
    }
}
