package io.djlint4.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.modality.nlp.generate.CausalLMOutput;
import ai.djl.modality.nlp.generate.SearchConfig;
import ai.djl.modality.nlp.generate.TextGenerator;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.djlint4.engine.Int4NDManager;
import io.djlint4.testing.SharedFiles;
import io.djlint4.testing.StoriesReference;
import io.djlint4.translator.CausalLmTranslatorFactory;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 4 of the engine issue: DJL's own {@code TextGenerator} drives the real stories260K
 * model through {@code Criteria} with the Int4 engine, in all three search modes, without any
 * operation falling back to PyTorch; greedy search reproduces the reference token ids.
 */
class TextGeneratorDropInTest {

    private static StoriesReference ref;
    private static ZooModel<NDList, CausalLMOutput> model;

    @BeforeAll
    static void load() throws Exception {
        ref = StoriesReference.load();
        Criteria<NDList, CausalLMOutput> criteria =
                Criteria.builder()
                        .setTypes(NDList.class, CausalLMOutput.class)
                        .optModelPath(SharedFiles.require(StoriesReference.CHECKPOINT))
                        .optEngine("Int4")
                        .optOption("quantization", "fp32")
                        .optTranslatorFactory(new CausalLmTranslatorFactory())
                        .build();
        model = criteria.loadModel();
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void greedySearchReproducesTheReferenceTokens() throws Exception {
        long[] expected = ref.ids("greedy_from_bos_100");
        long[] got = generate("greedy", expected.length);
        assertArrayEquals(expected, got);
    }

    @ParameterizedTest
    @ValueSource(strings = {"greedy", "beam", "contrastive"})
    void everySearchModeRunsWithoutPyTorch(String mode) throws Exception {
        long before = Int4NDManager.fallbackCount();
        long[] got = generate(mode, 24);
        assertEquals(24, got.length, Arrays.toString(got));
        assertEquals(1, got[0], "the prompt (BOS) comes first");
        for (long id : got) {
            assertTrue(id >= 0 && id < 512, "token id " + id);
        }
        assertEquals(before, Int4NDManager.fallbackCount(), () -> "PyTorch fallback used: " + Int4NDManager.fallbackOperations());
    }

    /** Generates from BOS with DJL's TextGenerator, built the way DJL's own example builds it. */
    private static long[] generate(String mode, int maxSeqLength) throws Exception {
        SearchConfig config = new SearchConfig();
        config.setMaxSeqLength(maxSeqLength);
        config.setPadTokenId(0);
        try (Predictor<NDList, CausalLMOutput> predictor = model.newPredictor();
                NDManager manager = model.getNDManager().newSubManager()) {
            TextGenerator generator = new TextGenerator(predictor, mode, config);
            NDArray ids = manager.create(new long[] {1}).expandDims(0);
            NDArray out = generator.generate(ids);
            return out.get(0).toLongArray();
        }
    }
}
