package io.djlint4.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.djlint4.testing.SharedFiles;
import io.djlint4.testing.StoriesReference;
import io.djlint4.translator.TextGenerationTranslatorFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reported case: {@code batchPredict} with greedy decoding gives each prompt the text {@code
 * predict} gives it alone on Runtime Smooth recipes, for prompts of different lengths and for four
 * identical prompts with the 4-bit cache.
 */
class QuantizedBatchPredictTest {

    @ParameterizedTest
    @ValueSource(strings = {"w4a4+rrs", "w4a4+rrs+kv4"})
    void batchPredictEqualsPredict(String recipe) throws Exception {
        try (ZooModel<String, String> model = Criteria.builder()
                        .setTypes(String.class, String.class)
                        .optModelPath(SharedFiles.require(StoriesReference.CHECKPOINT))
                        .optEngine("Int4")
                        .optOption("quantization", recipe)
                        .optTranslatorFactory(new TextGenerationTranslatorFactory())
                        .optArguments(Map.of("maxNewTokens", 60, "temperature", 0))
                        .build()
                        .loadModel();
                Predictor<String, String> predictor = model.newPredictor()) {
            assertBatchEqualsAlone(predictor, List.of("Once upon a time", "Once upon a time", "The cat", "Tom saw a dog"));
            assertBatchEqualsAlone(predictor, List.of("Once upon a time", "Once upon a time", "Once upon a time", "Once upon a time"));
        }
    }

    private static void assertBatchEqualsAlone(Predictor<String, String> predictor, List<String> prompts) throws Exception {
        List<String> batch = predictor.batchPredict(prompts);
        for (int i = 0; i < prompts.size(); i++) {
            assertEquals(predictor.predict(prompts.get(i)), batch.get(i), "prompt " + i + " of " + prompts);
        }
    }
}
