package io.djlint4.quant.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.model.DecoderLayer;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.DenseLinear;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.LayerWeights;
import io.djlint4.model.LinearFactory;
import io.djlint4.model.LinearKind;
import io.djlint4.model.LinearSlot;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.quant.weight.GroupLayout;
import io.djlint4.quant.weight.RtnQuantizer;
import io.djlint4.quant.weight.UniformQuantizer;
import io.djlint4.quant.rotation.OnlineRotations;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RTN-ada on a model with designed outliers: oracle 29 (the rule picks per-IC where small weight
 * columns meet large activations, per-OC where output rows stand out) and oracle 30 (every stored
 * choice's block error is at most the alternative's), the latter recomputed here from the public
 * model API rather than through the calibration code.
 */
class AdaDimCalibrationTest {

    private static final RtnQuantizer RTN = new RtnQuantizer(new UniformQuantizer(3, false), 128, false);

    private static ModelWeights weights;
    private static CalibrationSet calib;
    private static QuantizedLinears result;

    @BeforeAll
    static void calibrate() {
        weights = WeightOutlierModel.weights(7);
        calib = CalibrationSet.random(WeightOutlierModel.CONFIG.vocabSize(), 8, 48, 11);
        result = new AdaDimCalibration(RTN, null).quantize(weights, OnlineRotations.NONE, calib);
    }

    @Test
    void everyProjectionIsReportedInOrder() {
        List<LayoutChoice> choices = result.layoutChoices();
        assertEquals(2 * LinearKind.values().length, choices.size());
        for (int i = 0; i < choices.size(); i++) {
            LayoutChoice c = choices.get(i);
            assertEquals(i / LinearKind.values().length, c.layer());
            assertEquals(LinearKind.values()[i % LinearKind.values().length], c.kind());
            assertEquals(c.layout(), result.get(c.layer(), c.kind()).layout());
        }
    }

    @Test
    void smallColumnsUnderLargeActivationsChoosePerIc() {
        for (LinearKind k : new LinearKind[] {LinearKind.Q, LinearKind.K, LinearKind.O, LinearKind.GATE, LinearKind.DOWN}) {
            LayoutChoice c = choice(0, k);
            assertEquals(GroupLayout.PER_INPUT_CHANNEL, c.layout(), c.toString());
            assertTrue(c.perIcError() < 0.5 * c.perOcError(), c.toString());
        }
    }

    @Test
    void outlierRowsChoosePerOc() {
        // Layer 0's v and up rows feed the outlier channels, layer 1's k and o rows are scaled up.
        for (LayoutChoice c : List.of(choice(0, LinearKind.V), choice(0, LinearKind.UP), choice(1, LinearKind.K), choice(1, LinearKind.O))) {
            assertEquals(GroupLayout.PER_OUTPUT_CHANNEL, c.layout(), c.toString());
            assertTrue(c.perOcError() < 0.5 * c.perIcError(), c.toString());
        }
    }

    @Test
    void storedChoiceHasTheSmallerBlockErrorRecomputed() {
        ModelConfig c = weights.config();
        Map<Integer, Map<LinearSlot, float[][]>> inputs = fullPrecisionInputs();
        for (int l = 0; l < c.numLayers(); l++) {
            LayerWeights current = weights.layers()[l];
            for (LinearKind kind : LinearKind.values()) {
                float[][] x = inputs.get(l).get(kind.slot());
                float[] original = current.weight(kind);
                int out = kind.outFeatures(c);
                int in = kind.inFeatures(c);
                float[] stored = result.get(l, kind).dequantize();
                GroupLayout other =
                        result.get(l, kind).layout() == GroupLayout.PER_INPUT_CHANNEL
                                ? GroupLayout.PER_OUTPUT_CHANNEL
                                : GroupLayout.PER_INPUT_CHANNEL;
                float[] alternative = RTN.quantize(original, out, in, other).dequantize();
                float[][] reference = block(l, current, kind, x);
                double eStored = mse(block(l, current.withWeight(kind, stored), kind, x), reference);
                double eAlternative = mse(block(l, current.withWeight(kind, alternative), kind, x), reference);
                LayoutChoice reported = choice(l, kind);
                String what = reported + " recomputed stored " + eStored + ", alternative " + eAlternative;
                assertTrue(eStored <= eAlternative, what);
                double reportedStored =
                        reported.layout() == GroupLayout.PER_INPUT_CHANNEL ? reported.perIcError() : reported.perOcError();
                assertEquals(reportedStored, eStored, 1e-5 * eStored, what);
                current = current.withWeight(kind, stored);
            }
        }
    }

    /** The inputs of every slot of every layer while the full-precision model runs each sequence. */
    private static Map<Integer, Map<LinearSlot, float[][]>> fullPrecisionInputs() {
        DecoderModel fp = DecoderModel.fromWeights(weights);
        Map<Integer, Map<LinearSlot, float[][]>> inputs = new HashMap<>();
        for (int i = 0; i < calib.count(); i++) {
            int seq = i;
            fp.forward(ForwardRequest.of(calib.sequences().get(i), false).withObserver((layer, slot, x, rows, width) ->
                    inputs.computeIfAbsent(layer, k -> new EnumMap<>(LinearSlot.class))
                            .computeIfAbsent(slot, k -> new float[calib.count()][])[seq] =
                            Arrays.copyOf(x, rows * width)));
        }
        return inputs;
    }

    private static float[][] block(int l, LayerWeights w, LinearKind kind, float[][] x) {
        ModelConfig c = weights.config();
        DecoderLayer layer = DecoderLayer.fromWeights(c, l, w, LinearFactory.DENSE);
        float[][] out = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            int rows = x[i].length / kind.inFeatures(c);
            switch (kind) {
                case Q, K, V -> out[i] =
                        layer.attentionBlock(l, x[i], ForwardRequest.of(new long[rows], false), weights.rotaryEmbedding());
                case GATE, UP -> out[i] = layer.mlpBlock(l, x[i], rows, null);
                default -> {
                    out[i] = new float[rows * kind.outFeatures(c)];
                    new DenseLinear(w.weight(kind), null, kind.outFeatures(c), kind.inFeatures(c)).forward(x[i], rows, out[i]);
                }
            }
        }
        return out;
    }

    private static double mse(float[][] a, float[][] b) {
        double s = 0;
        long n = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                double d = a[i][j] - b[i][j];
                s += d * d;
            }
            n += a[i].length;
        }
        return s / n;
    }

    private static LayoutChoice choice(int layer, LinearKind kind) {
        return result.layoutChoices().stream()
                .filter(c -> c.layer() == layer && c.kind() == kind)
                .findFirst()
                .orElseThrow();
    }
}
