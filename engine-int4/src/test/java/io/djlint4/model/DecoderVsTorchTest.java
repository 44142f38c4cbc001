package io.djlint4.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Int4 decoder against an independent PyTorch forward pass on the same random weights. */
class DecoderVsTorchTest {

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of("llama-gqa-untied", config(Architecture.LLAMA, 4, 2, false, false, false, null)),
                Arguments.of("llama-tied", config(Architecture.LLAMA, 4, 4, true, false, false, null)),
                Arguments.of("qwen2-bias", config(Architecture.QWEN2, 4, 2, true, true, false, null)),
                Arguments.of("qwen3-qknorm", config(Architecture.QWEN3, 4, 1, true, false, true, null)),
                Arguments.of(
                        "llama3-rope-scaling",
                        config(Architecture.LLAMA, 4, 2, false, false, false, new RopeScaling(8, 1, 4, 64))));
    }

    static ModelConfig config(
            Architecture arch,
            int heads,
            int kvHeads,
            boolean tied,
            boolean bias,
            boolean qkNorm,
            RopeScaling scaling) {
        return new ModelConfig(
                arch, 32, 48, 2, heads, kvHeads, 8, 97, 1e-6, 10000.0, scaling, 256, tied, bias, qkNorm, 1,
                new int[] {2});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void logitsAgreeWithTorchReference(String name, ModelConfig config) {
        ModelWeights weights = RandomWeights.of(config, name.hashCode());
        long[] ids = new Random(7).longs(23, 0, config.vocabSize()).toArray();
        float[] ours = DecoderModel.fromWeights(weights).forward(ForwardRequest.of(ids, true)).logits();
        float[] reference;
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            reference = new TorchReferenceDecoder(weights, manager).logits(ids);
        }
        assertTrue(maxRelativeError(ours, reference) < 1e-4, () -> name + " max relative error " + maxRelativeError(ours, reference));
    }

    /** Largest |a - b| over the largest |b|, as one scale-free number for a whole logit table. */
    static double maxRelativeError(float[] a, float[] b) {
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < b.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
            maxRef = Math.max(maxRef, Math.abs(b[i]));
        }
        return maxDiff / maxRef;
    }
}
