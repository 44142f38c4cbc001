package io.djlint4.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.djlint4.checkpoint.CheckpointLoader;
import io.djlint4.engine.Int4CausalLmBlock;
import io.djlint4.model.ForwardRequest;
import io.djlint4.quant.ModelQuantizer;
import io.djlint4.quant.QuantRecipe;
import io.djlint4.quant.RecipeSettings;
import io.djlint4.testing.SharedFiles;
import io.djlint4.testing.StoriesReference;
import io.djlint4.tokenizer.Llama2cTokenizer;
import io.djlint4.translator.TextGenerationTranslatorFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Calibrated recipes load through {@code Criteria}: the {@code calibration} option's text is
 * encoded with the model's tokenizer and cut into the set the size options ask for, so the loaded
 * model is exactly the one {@link ModelQuantizer} builds from that set, and it generates.
 */
class CalibratedLoadingTest {

    private static final String TEXT = "data/wikitext-2/wiki.valid.tokens";

    @Test
    void gptqLoadsThroughCriteriaWithACalibrationText() throws Exception {
        Path text = SharedFiles.require(TEXT);
        Path checkpoint = SharedFiles.require(StoriesReference.CHECKPOINT);
        try (ZooModel<String, String> model = Criteria.builder()
                        .setTypes(String.class, String.class)
                        .optModelPath(checkpoint)
                        .optEngine("Int4")
                        .optOption("quantization", "w4a16+gptq")
                        .optOption("calibration", text.toString())
                        .optOption("calibrationSequences", "4")
                        .optOption("calibrationLength", "64")
                        .optTranslatorFactory(new TextGenerationTranslatorFactory())
                        .optArgument("maxNewTokens", 12)
                        .build()
                        .loadModel();
                Predictor<String, String> predictor = model.newPredictor()) {
            assertEquals("w4a16+gptq", model.getProperty("quantization"));
            assertFalse(predictor.predict("Once upon a time").isBlank());

            Llama2cTokenizer tokenizer = Llama2cTokenizer.load(SharedFiles.require(StoriesReference.TOKENIZER));
            long[] tokens = Arrays.stream(tokenizer.encode(Files.readString(text, StandardCharsets.UTF_8), false))
                    .asLongStream().toArray();
            RecipeSettings settings = RecipeSettings.DEFAULT.withCalibrationSize(4, 64);
            var expected = new ModelQuantizer(settings).quantize(
                    CheckpointLoader.load(checkpoint).weights(), QuantRecipe.parse("w4a16+gptq"),
                    settings.calibrationSet(tokens));
            var loaded = ((Int4CausalLmBlock) model.getBlock()).getModel();
            long[] prompt = {1, 403, 407, 261, 378};
            assertArrayEquals(expected.forward(ForwardRequest.of(prompt, true)).logits(),
                    loaded.forward(ForwardRequest.of(prompt, true)).logits());
        }
    }
}
