package io.djlint4.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.djlint4.checkpoint.CheckpointLoader;
import io.djlint4.engine.Int4CausalLmBlock;
import io.djlint4.model.ForwardRequest;
import io.djlint4.quant.ModelQuantizer;
import io.djlint4.quant.QuantRecipe;
import io.djlint4.quant.RecipeSettings;
import io.djlint4.quant.calib.WikiTextDetokenizer;
import io.djlint4.testing.SharedFiles;
import io.djlint4.testing.StoriesReference;
import io.djlint4.tokenizer.Llama2cTokenizer;
import io.djlint4.translator.TextGenerationTranslatorFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Calibrated recipes load through {@code Criteria}: the {@code calibration} option's text is
 * encoded with the model's tokenizer and cut into the set the size options ask for, so the loaded
 * model is exactly the one {@link ModelQuantizer} builds from that set, and it generates; so do
 * the other calibrating methods.
 */
class CalibratedLoadingTest {

    private static final String TEXT = "data/wikitext-2/wiki.valid.tokens";

    /** The start of the validation text: enough for 4 x 64 tokens, quick to encode. */
    @TempDir
    static Path scratch;

    private static Path calibrationText;

    @BeforeAll
    static void cutTheCalibrationText() throws Exception {
        String text = Files.readString(SharedFiles.require(TEXT), StandardCharsets.UTF_8);
        calibrationText = Files.writeString(scratch.resolve("calibration.txt"), text.substring(0, 20_000));
    }

    @ParameterizedTest
    @ValueSource(strings = {"w4a4+rptq", "w4a16+adadim", "w4a4+dfrot", "w4a4+g32+rot+asym+ag32+auto+dq"})
    void otherCalibratedRecipesLoadAndGenerate(String recipe) throws Exception {
        try (ZooModel<String, String> model = load(recipe);
                Predictor<String, String> predictor = model.newPredictor()) {
            assertEquals(recipe, model.getProperty("quantization"));
            assertFalse(predictor.predict("Once upon a time").isBlank());
        }
    }

    @Test
    void gptqLoadsThroughCriteriaWithACalibrationText() throws Exception {
        Path text = calibrationText;
        Path checkpoint = SharedFiles.require(StoriesReference.CHECKPOINT);
        try (ZooModel<String, String> model = load("w4a16+gptq");
                Predictor<String, String> predictor = model.newPredictor()) {
            assertEquals("w4a16+gptq", model.getProperty("quantization"));
            assertFalse(predictor.predict("Once upon a time").isBlank());

            Llama2cTokenizer tokenizer = Llama2cTokenizer.load(SharedFiles.require(StoriesReference.TOKENIZER));
            long[] tokens = Arrays.stream(tokenizer.encode(WikiTextDetokenizer.prepare(Files.readString(text, StandardCharsets.UTF_8)), false))
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

    /** Option weightBudget reaches the weight planner: the loaded model is the one the quantizer builds. */
    @Test
    void weightPlansTakeTheirBudgetFromTheOptions() throws Exception {
        Path checkpoint = SharedFiles.require(StoriesReference.CHECKPOINT);
        Llama2cTokenizer tokenizer = Llama2cTokenizer.load(SharedFiles.require(StoriesReference.TOKENIZER));
        long[] tokens = Arrays.stream(tokenizer.encode(
                        WikiTextDetokenizer.prepare(Files.readString(calibrationText, StandardCharsets.UTF_8)), false))
                .asLongStream().toArray();
        RecipeSettings settings = RecipeSettings.DEFAULT.withCalibrationSize(4, 64).withWeightBudget(4.95);
        var expected = new ModelQuantizer(settings).quantize(CheckpointLoader.load(checkpoint).weights(),
                QuantRecipe.parse("w4a16+g32+dq+auto"), settings.calibrationSet(tokens));
        try (ZooModel<String, String> model = load("w4a16+g32+dq+auto", "4.95")) {
            var loaded = ((Int4CausalLmBlock) model.getBlock()).getModel();
            long[] prompt = {1, 403, 407, 261, 378};
            assertArrayEquals(expected.forward(ForwardRequest.of(prompt, true)).logits(),
                    loaded.forward(ForwardRequest.of(prompt, true)).logits());
        }
        // stories260K's 64-wide rows: even groups of 128 take more than the default 4.5 bits per weight
        Exception e = assertThrows(Exception.class, () -> load("w4a16+g32+dq+auto"));
        assertTrue(messages(e).contains("no weight plan fits 4.500 bits per weight"), messages(e));
    }

    private static String messages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getMessage()).append(" / ");
        }
        return sb.toString();
    }

    private static ZooModel<String, String> load(String recipe) throws Exception {
        return load(recipe, null);
    }

    private static ZooModel<String, String> load(String recipe, String weightBudget) throws Exception {
        Criteria.Builder<String, String> builder = Criteria.builder()
                .setTypes(String.class, String.class)
                .optModelPath(SharedFiles.require(StoriesReference.CHECKPOINT))
                .optEngine("Int4")
                .optOption("quantization", recipe)
                .optOption("calibration", calibrationText.toString())
                .optOption("calibrationSequences", "4")
                .optOption("calibrationLength", "64")
                .optTranslatorFactory(new TextGenerationTranslatorFactory())
                .optArgument("maxNewTokens", 12);
        if (weightBudget != null) {
            builder.optOption("weightBudget", weightBudget);
        }
        return builder.build().loadModel();
    }
}
