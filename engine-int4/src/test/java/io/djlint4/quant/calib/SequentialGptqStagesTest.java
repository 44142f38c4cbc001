package io.djlint4.quant.calib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.djlint4.checkpoint.Llama2cCheckpointReader;
import io.djlint4.kernels.KernelThreads;
import io.djlint4.model.LinearKind;
import io.djlint4.model.LinearSlot;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.model.RowTransform;
import io.djlint4.quant.rotation.OnlineRotations;
import io.djlint4.quant.weight.Gptq;
import io.djlint4.quant.weight.QuantizedWeights;
import io.djlint4.quant.weight.UniformQuantizer;
import io.djlint4.testing.SharedFiles;
import io.djlint4.testing.StoriesReference;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link SequentialGptq} runs each sub-block of a layer once; it must give exactly what running the
 * whole layer once per slot gives (the papers' loop, kept here as the reference), with and
 * without online rotations, on one thread and on several.
 */
class SequentialGptqStagesTest {

    private final int saved = KernelThreads.threads();

    @AfterEach
    void restoreThreads() {
        KernelThreads.setThreads(saved);
    }

    @ParameterizedTest(name = "online rotations {0}, {1} threads")
    @CsvSource({"false,1", "true,1", "true,2"})
    void stagedLayersGiveTheWholeLayerLoopsCodes(boolean rotated, int threads) throws IOException {
        KernelThreads.setThreads(Math.min(threads, KernelThreads.maxThreads()));
        StoriesReference ref = StoriesReference.load();
        ModelWeights weights = Llama2cCheckpointReader.read(SharedFiles.require(StoriesReference.CHECKPOINT), true);
        CalibrationSet calib = CalibrationSet.sample(ref.ids("sample_text"), 3, 24, 1);
        ModelConfig c = weights.config();
        OnlineRotations online = rotated
                ? new OnlineRotations(mirror(c.qDim()), mirror(c.intermediateSize()))
                : OnlineRotations.NONE;
        Gptq gptq = new Gptq(new UniformQuantizer(4, false), 16, true, true, 0.01);

        QuantizedLinears staged = new SequentialGptq(gptq).quantize(weights, online, calib);
        QuantizedLinears reference = wholeLayerLoop(gptq, weights, online, calib);

        for (int l = 0; l < c.numLayers(); l++) {
            for (LinearKind kind : LinearKind.values()) {
                String what = "layer " + l + " " + kind.moduleName();
                QuantizedWeights expected = (QuantizedWeights) reference.get(l, kind);
                QuantizedWeights actual = (QuantizedWeights) staged.get(l, kind);
                assertArrayEquals(expected.codes(), actual.codes(), what + " codes");
                assertArrayEquals(expected.scales(), actual.scales(), what + " scales");
            }
        }
    }

    /** The earlier loop: for every slot, the whole layer runs with the weights quantized so far. */
    private static QuantizedLinears wholeLayerLoop(
            Gptq gptq, ModelWeights weights, OnlineRotations online, CalibrationSet calib) {
        ModelConfig c = weights.config();
        QuantizedLinears result = new QuantizedLinears(c.numLayers());
        float[][] hidden = CalibrationLayer.embeddings(weights, calib);
        for (int l = 0; l < c.numLayers(); l++) {
            CalibrationLayer layer = new CalibrationLayer(c, l, weights.layers()[l], online, weights.rotaryEmbedding());
            for (LinearSlot slot : LinearSlot.values()) {
                float[][] inputs = layer.run(hidden, Set.of(slot)).inputs().get(slot);
                for (LinearKind kind : LinearKind.values()) {
                    if (kind.slot() == slot) {
                        int in = kind.inFeatures(c);
                        QuantizedWeights q = gptq.quantize(
                                layer.weights().weight(kind), kind.outFeatures(c), in, SlotHessian.of(inputs, in));
                        result.put(l, kind, q);
                        layer = layer.with(kind, q.dequantize());
                    }
                }
            }
            hidden = layer.run(hidden, EnumSet.noneOf(LinearSlot.class)).output();
        }
        return result;
    }

    /** Reverses and scales each row: any transform will do, as long as it is not the identity. */
    private static RowTransform mirror(int width) {
        return (x, rows, out) -> {
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < width; j++) {
                    out[r * width + j] = 1.5f * x[r * width + width - 1 - j];
                }
            }
        };
    }
}
