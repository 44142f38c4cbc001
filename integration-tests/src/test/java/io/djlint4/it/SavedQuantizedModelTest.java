package io.djlint4.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.djlint4.checkpoint.CheckpointLoader;
import io.djlint4.checkpoint.LoadedCheckpoint;
import io.djlint4.kernels.Fp4Format;
import io.djlint4.quant.ModelQuantizer;
import io.djlint4.quant.QuantRecipe;
import io.djlint4.quant.RecipeSettings;
import io.djlint4.quant.calib.CalibrationSet;
import io.djlint4.quant.fp4.Fp4Settings;
import io.djlint4.quant.saved.QuantizedModelWriter;
import io.djlint4.testing.SharedFiles;
import io.djlint4.testing.StoriesReference;
import io.djlint4.zoo.Int4TranslatorFactory;
import io.djlint4.zoo.LocalModels;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A saved quantized stories260K directory loads through {@code Criteria} as the quantized model
 * (no calibration at load) with its own tokenizer: from the zoo with no translator argument, or by
 * its path.
 */
class SavedQuantizedModelTest {

    private static final String PROMPT = "Once upon a time";

    @TempDir
    static Path root;

    private static Path checkpoint;
    private static Path rrs;
    private static Path gptq;

    @BeforeAll
    static void save() throws Exception {
        checkpoint = SharedFiles.require(StoriesReference.CHECKPOINT);
        Path tokenizer = SharedFiles.require(StoriesReference.TOKENIZER);
        LoadedCheckpoint base = CheckpointLoader.load(checkpoint);
        ModelQuantizer quantizer = new ModelQuantizer(RecipeSettings.DEFAULT);
        rrs = root.resolve("rrs");
        new QuantizedModelWriter(false).write(quantizer.apply(base.weights(), QuantRecipe.parse("w4a4+rrs"), null)
                .contents(), base, List.of(tokenizer), rrs);
        gptq = root.resolve("gptq");
        CalibrationSet calibration = CalibrationSet.random(base.config().vocabSize(), 4, 64, 3);
        new QuantizedModelWriter(false).write(quantizer.apply(base.weights(), QuantRecipe.parse("w4a4+rrs+gptq+kv4"),
                calibration).contents(), base, List.of(tokenizer), gptq);
    }

    private static String generate(Criteria<String, String> criteria) throws Exception {
        try (ZooModel<String, String> model = criteria.loadModel();
                Predictor<String, String> predictor = model.newPredictor()) {
            return predictor.predict(PROMPT);
        }
    }

    @Test
    void savedModelGeneratesWhatQuantizingAtLoadGenerates() throws Exception {
        // No engine given: the directory's serving.properties names Int4. DJL's default zoo for a
        // model path only knows NDList and Input/Output translators, hence the factory argument.
        String saved = generate(Criteria.builder()
                .setTypes(String.class, String.class)
                .optModelPath(rrs)
                .optArgument("translatorFactory", Int4TranslatorFactory.class.getName())
                .optArgument("maxNewTokens", 16)
                .optArgument("temperature", 0)
                .build());
        String atLoad = generate(Criteria.builder()
                .setTypes(String.class, String.class)
                .optModelPath(checkpoint)
                .optEngine("Int4")
                .optOption("quantization", "w4a4+rrs")
                .optTranslatorFactory(new Int4TranslatorFactory())
                .optArgument("maxNewTokens", 16)
                .optArgument("temperature", 0)
                .build());
        assertFalse(saved.isBlank());
        assertEquals(atLoad, saved);
    }

    @Test
    void zooArtifactLoadsACalibratedRecipeWithoutCalibrationOrTranslatorArgument() throws Exception {
        String previous = System.getProperty(LocalModels.PROPERTY);
        System.setProperty(LocalModels.PROPERTY, root.toString());
        try {
            Criteria<String, String> criteria = Criteria.builder()
                    .setTypes(String.class, String.class)
                    .optArtifactId("gptq")
                    .optArgument("maxNewTokens", 16)
                    .build();
            try (ZooModel<String, String> model = criteria.loadModel();
                    Predictor<String, String> predictor = model.newPredictor()) {
                assertEquals("w4a4+rrs+gptq+kv4", model.getProperty("quantization"));
                assertFalse(predictor.predict(PROMPT).isBlank());
            }
        } finally {
            if (previous == null) {
                System.clearProperty(LocalModels.PROPERTY);
            } else {
                System.setProperty(LocalModels.PROPERTY, previous);
            }
        }
    }

    @Test
    void bfloat16ClassifierOptionAppliesToASavedModel() throws Exception {
        Criteria<String, String> criteria = Criteria.builder()
                .setTypes(String.class, String.class)
                .optModelPath(rrs)
                .optEngine("Int4")
                .optTranslatorFactory(new Int4TranslatorFactory())
                .optOption("lmHead", "bf16")
                .optArgument("maxNewTokens", 16)
                .optArgument("temperature", 0)
                .build();
        try (ZooModel<String, String> model = criteria.loadModel();
                Predictor<String, String> predictor = model.newPredictor()) {
            assertEquals("bf16", model.getProperty("lmHead"));
            assertFalse(predictor.predict(PROMPT).isBlank());
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"fp4+kv4", "w4a4+rptq+gptq+kv4"})
    void fp4AndRptqDirectoriesLoadWithoutCalibration(String recipe) throws Exception {
        LoadedCheckpoint base = CheckpointLoader.load(checkpoint);
        Fp4Settings quickSearch = new Fp4Settings(Fp4Format.E2M1, 8, 0.01, 1.2, 1, 32).withFormats(List.of(Fp4Format.values()));
        Path dir = root.resolve(recipe.replace('+', '-'));
        new QuantizedModelWriter(false).write(new ModelQuantizer(RecipeSettings.DEFAULT, quickSearch)
                .apply(base.weights(), QuantRecipe.parse(recipe), CalibrationSet.random(base.config().vocabSize(), 2, 32, 5))
                .contents(), base, List.of(SharedFiles.require(StoriesReference.TOKENIZER)), dir);
        // No calibration option: loading a saved directory never calibrates.
        Criteria<String, String> criteria = Criteria.builder()
                .setTypes(String.class, String.class)
                .optModelPath(dir)
                .optEngine("Int4")
                .optTranslatorFactory(new Int4TranslatorFactory())
                .optArgument("maxNewTokens", 16)
                .optArgument("temperature", 0)
                .build();
        try (ZooModel<String, String> model = criteria.loadModel();
                Predictor<String, String> predictor = model.newPredictor()) {
            assertEquals(recipe, model.getProperty("quantization"));
            String first = predictor.predict(PROMPT);
            assertFalse(first.isBlank());
            assertEquals(first, predictor.predict(PROMPT));
        }
    }

    @Test
    void unknownClassifierPrecisionIsRefused() {
        Criteria<String, String> criteria = Criteria.builder()
                .setTypes(String.class, String.class)
                .optModelPath(checkpoint)
                .optEngine("Int4")
                .optTranslatorFactory(new Int4TranslatorFactory())
                .optOption("lmHead", "fp16")
                .build();
        assertEquals("option lmHead must be 'fp32', 'bf16' or 'int8', got 'fp16'", rootIllegalArgument(criteria).getMessage());
    }

    /** The first {@link IllegalArgumentException} in the chain of the failure to load. */
    private static Throwable rootIllegalArgument(Criteria<String, String> criteria) {
        Exception e = assertThrows(Exception.class, criteria::loadModel);
        Throwable t = e;
        while (t.getCause() != null && !(t instanceof IllegalArgumentException)) {
            t = t.getCause();
        }
        return t;
    }

    @Test
    void anotherRecipeOptionIsRefused() {
        Criteria<String, String> criteria = Criteria.builder()
                .setTypes(String.class, String.class)
                .optModelPath(rrs)
                .optEngine("Int4")
                .optTranslatorFactory(new Int4TranslatorFactory())
                .optOption("quantization", "w4a16")
                .build();
        Throwable t = rootIllegalArgument(criteria);
        assertTrue(t.getMessage().contains("option quantization=w4a16: " + rrs + " is a saved w4a4+rrs model"),
                t::getMessage);
    }
}
