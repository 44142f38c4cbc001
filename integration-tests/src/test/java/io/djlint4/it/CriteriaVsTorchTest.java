package io.djlint4.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.djlint4.checkpoint.GgufType;
import io.djlint4.checkpoint.RandomCheckpoints;
import io.djlint4.model.Architecture;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.model.TorchReferenceDecoder;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Acceptance 2 of the engine issue: random-weight checkpoints written to disk in Hugging Face and
 * GGUF form, loaded through DJL's {@code Criteria} with the Int4 engine, give the logits of an
 * independent forward pass written with PyTorch NDArray operations.
 */
class CriteriaVsTorchTest {

    @TempDir Path dir;

    static Stream<Arguments> checkpoints() {
        return Stream.of(
                Arguments.of("llama-gqa-untied", config(Architecture.LLAMA, 2, false, false, false), false),
                Arguments.of("llama-tied", config(Architecture.LLAMA, 4, true, false, false), false),
                Arguments.of("qwen2-bias", config(Architecture.QWEN2, 2, true, true, false), false),
                Arguments.of("qwen3-qknorm", config(Architecture.QWEN3, 1, true, false, true), false),
                Arguments.of("llama-gguf", config(Architecture.LLAMA, 2, false, false, false), true));
    }

    static ModelConfig config(Architecture arch, int kvHeads, boolean tied, boolean bias, boolean qkNorm) {
        return new ModelConfig(arch, 64, 96, 2, 4, kvHeads, 16, 101, 1e-6, 10000.0, null, 256, tied, bias, qkNorm, 1, new int[] {2});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checkpoints")
    void logitsMatchPyTorchReference(String name, ModelConfig config, boolean gguf) throws Exception {
        Path modelPath = gguf ? dir.resolve(name + ".gguf") : dir.resolve(name);
        ModelWeights weights =
                gguf
                        ? RandomCheckpoints.writeGguf(modelPath, config, name.hashCode(), GgufType.F32)
                        : RandomCheckpoints.writeHf(modelPath, config, name.hashCode());
        long[] ids = new Random(3).longs(19, 0, config.vocabSize()).toArray();
        Criteria<NDList, NDList> criteria =
                Criteria.builder()
                        .setTypes(NDList.class, NDList.class)
                        .optModelPath(modelPath)
                        .optEngine("Int4")
                        .optOption("quantization", "fp32")
                        .optOption("logits", "all")
                        .build();
        float[] ours;
        try (ZooModel<NDList, NDList> model = criteria.loadModel();
                Predictor<NDList, NDList> predictor = model.newPredictor();
                NDManager manager = model.getNDManager().newSubManager()) {
            assertEquals("Int4", model.getNDManager().getEngine().getEngineName());
            NDArray input = manager.create(ids).expandDims(0);
            NDList out = predictor.predict(new NDList(input));
            assertEquals(2 + 2 * config.numLayers(), out.size());
            ours = out.get(0).toFloatArray();
        }
        float[] reference;
        try (NDManager torch = NDManager.newBaseManager("PyTorch")) {
            reference = new TorchReferenceDecoder(weights, torch).logits(ids);
        }
        assertEquals(reference.length, ours.length);
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < reference.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(ours[i] - reference[i]));
            maxRef = Math.max(maxRef, Math.abs(reference[i]));
        }
        double rel = maxDiff / maxRef;
        assertTrue(rel < 1e-4, name + ": max relative error " + rel);
    }
}
