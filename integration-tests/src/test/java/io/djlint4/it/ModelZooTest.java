package io.djlint4.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Application;
import ai.djl.inference.Predictor;
import ai.djl.modality.nlp.generate.CausalLMOutput;
import ai.djl.ndarray.NDList;
import ai.djl.repository.MRL;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooModel;
import io.djlint4.engine.Int4Model;
import io.djlint4.quant.DefaultRecipe;
import io.djlint4.testing.ModelCache;
import io.djlint4.testing.SharedFiles;
import io.djlint4.testing.StoriesReference;
import io.djlint4.tokenizer.Llama2cTokenizer;
import io.djlint4.translator.CausalLmTranslator;
import io.djlint4.zoo.Int4ModelZoo;
import io.djlint4.zoo.LocalModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline zoo: models in the {@code int4.models} directory (here symlinks to stories260K's
 * files in a temporary directory) load by artifact id with no translator argument, {@code
 * serving.properties} options are honoured, and missing or unusable models fail with clear errors.
 */
class ModelZooTest {

    private static final String GREEDY = "greedy_from_bos_100";
    private static final String WIKITEXT_VALID = "data/wikitext-2/wiki.valid.tokens";

    @TempDir
    Path root;

    private String previous;

    @BeforeEach
    void pointTheZooAtTheTemporaryDirectory() {
        previous = System.getProperty(LocalModels.PROPERTY);
        System.setProperty(LocalModels.PROPERTY, root.toString());
    }

    @AfterEach
    void restore() {
        if (previous == null) {
            System.clearProperty(LocalModels.PROPERTY);
        } else {
            System.setProperty(LocalModels.PROPERTY, previous);
        }
    }

    @Test
    void textGenerationWorksWithoutATranslatorArgumentOrEngine() throws Exception {
        linkStories("stories");
        StoriesReference ref = StoriesReference.load();
        int tokens = ref.ids(GREEDY).length - 1;
        Criteria<String, String> criteria = Criteria.builder()
                .setTypes(String.class, String.class)
                .optArtifactId("stories")
                .optOption("quantization", "fp32")
                .optArgument("maxNewTokens", tokens)
                .build();
        try (ZooModel<String, String> model = criteria.loadModel();
                Predictor<String, String> predictor = model.newPredictor()) {
            Int4Model int4 = assertInstanceOf(Int4Model.class, model.getWrappedModel(), "the zoo picks the Int4 engine");
            assertEquals(ref.section(GREEDY).get("text").getAsString(), predictor.predict(""));
            assertNull(int4.getCheckpoint().weights(), "the block holds the weights; the checkpoint's are dropped");
            assertEquals(5, int4.getCheckpoint().config().numLayers(), "stories260K has 5 layers");
        }
    }

    @Test
    void aFloatCheckpointRunsTheRecommendedRecipeWhenNoneIsNamed() throws Exception {
        linkStories("stories");
        Criteria<String, String> criteria = Criteria.builder()
                .setTypes(String.class, String.class)
                .optArtifactId("stories")
                .optArgument("maxNewTokens", 8)
                .build();
        try (ZooModel<String, String> model = criteria.loadModel();
                Predictor<String, String> predictor = model.newPredictor()) {
            assertEquals(DefaultRecipe.RECOMMENDED.toString(), model.getProperty("quantization"));
            assertFalse(predictor.predict("").isBlank());
        }
    }

    @Test
    void artifactsAreListedAsTextGeneration() throws Exception {
        linkStories("stories");
        Map<Application, List<MRL>> models = ModelZoo.listModels();
        assertTrue(models.getOrDefault(Application.NLP.TEXT_GENERATION, List.of()).stream()
                        .anyMatch(mrl -> mrl.getArtifactId().equals("stories")), models.toString());
        Criteria<String, String> criteria = Criteria.builder()
                .setTypes(String.class, String.class)
                .optApplication(Application.NLP.TEXT_GENERATION)
                .optArtifactId("stories")
                .optArgument("maxNewTokens", 2)
                .build();
        try (ZooModel<String, String> model = criteria.loadModel()) {
            assertInstanceOf(Int4Model.class, model.getWrappedModel(), "the application filter finds the artifact");
        }
    }

    @Test
    void causalLmStepsWorkWithoutATranslatorArgument() throws Exception {
        linkStories("stories");
        Criteria<NDList, CausalLMOutput> criteria = Criteria.builder()
                .setTypes(NDList.class, CausalLMOutput.class)
                .optEngine("Int4")
                .optArtifactId("stories")
                .build();
        try (ZooModel<NDList, CausalLMOutput> model = criteria.loadModel()) {
            CausalLmTranslator translator = assertInstanceOf(CausalLmTranslator.class, model.getTranslator());
            assertEquals(5, translator.getNumLayers());
        }
    }

    @Test
    void servingPropertiesMaxNewTokensIsHonoured() throws Exception {
        Path dir = linkStories("short");
        Files.writeString(dir.resolve("serving.properties"), "engine=Int4\noption.maxNewTokens=6\n");
        long[] reference = StoriesReference.load().ids(GREEDY);
        int[] bosAndSix = Arrays.stream(Arrays.copyOf(reference, 7)).mapToInt(Math::toIntExact).toArray();
        String expected = Llama2cTokenizer.load(SharedFiles.require(StoriesReference.TOKENIZER)).decode(bosAndSix);
        try (ZooModel<String, String> model = stringModel("short");
                Predictor<String, String> predictor = model.newPredictor()) {
            assertEquals(expected, predictor.predict(""));
        }
    }

    @Test
    void servingPropertiesQuantizationIsApplied() throws Exception {
        Path dir = linkStories("quantized");
        Files.writeString(dir.resolve("serving.properties"), "option.quantization=w4a16\noption.maxNewTokens=8\n");
        try (ZooModel<String, String> model = stringModel("quantized");
                Predictor<String, String> predictor = model.newPredictor()) {
            assertEquals("w4a16", model.getProperty("quantization"));
            assertTrue(!predictor.predict("Once upon a time").isBlank());
        }
    }

    @Test
    void aRecipeNeedingCalibrationWithoutTextNamesTheOptionToSet() throws Exception {
        Path dir = linkStories("gptq");
        Files.writeString(dir.resolve("serving.properties"), "option.quantization=w4a16+gptq\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> stringModel("gptq"));
        assertTrue(e.getMessage().contains("needs calibration data: set option calibration"), e.getMessage());
    }

    @Test
    void servingPropertiesCalibrationTextFeedsACalibratedRecipe() throws Exception {
        Path dir = linkStories("gptq");
        Path text = SharedFiles.require(WIKITEXT_VALID);
        Files.writeString(dir.resolve("serving.properties"), "option.quantization=w4a16+gptq\n"
                + "option.calibration=" + text.toAbsolutePath() + "\n"
                + "option.calibrationSequences=4\noption.calibrationLength=64\noption.maxNewTokens=8\n");
        try (ZooModel<String, String> model = stringModel("gptq");
                Predictor<String, String> predictor = model.newPredictor()) {
            assertEquals("w4a16+gptq", model.getProperty("quantization"));
            assertTrue(!predictor.predict("Once upon a time").isBlank());
        }
    }

    @Test
    void aMissingCalibrationFileIsNamed() throws Exception {
        Path dir = linkStories("gptq");
        Files.writeString(dir.resolve("serving.properties"),
                "option.quantization=w4a16+gptq\noption.calibration=no-such-text.txt\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> stringModel("gptq"));
        assertTrue(e.getMessage().contains("option calibration: " + dir.resolve("no-such-text.txt")), e.getMessage());
    }

    @Test
    void aMissingModelNamesTheDirectorySearched() throws Exception {
        linkStories("stories");
        Int4ModelZoo zoo = assertInstanceOf(Int4ModelZoo.class, ModelZoo.getModelZoo(Int4ModelZoo.GROUP_ID));
        ModelNotFoundException e = assertThrows(ModelNotFoundException.class, () -> zoo.requireModelLoader("llama"));
        assertTrue(e.getMessage().contains(root.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("[stories]"), e.getMessage());
        assertThrows(ModelNotFoundException.class, () -> stringModel("llama"));
    }

    @Test
    void aDirectoryWithoutACheckpointFailsClearly() throws Exception {
        Path dir = Files.createDirectory(root.resolve("notes"));
        Files.writeString(dir.resolve("README.txt"), "not a model");
        IOException e = assertThrows(IOException.class, () -> stringModel("notes"));
        assertTrue(e.getMessage().contains("no checkpoint found"), e.getMessage());
    }

    @Test
    void anUnknownFamilyFailsClearly() throws Exception {
        Path dir = Files.createDirectory(root.resolve("bert"));
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"bert\", \"architectures\": [\"BertModel\"]}");
        IOException e = assertThrows(IOException.class, () -> stringModel("bert"));
        assertTrue(e.getMessage().contains("unsupported architecture 'bert'"), e.getMessage());
    }

    @Test
    void smolLm2ChatsThroughTheZoo() throws Exception {
        Path gguf = ModelCache.smolLm2();
        System.setProperty(LocalModels.PROPERTY, gguf.getParent().getParent().toString());
        Criteria<String, String> criteria = Criteria.builder()
                .setTypes(String.class, String.class)
                .optEngine("Int4")
                .optArtifactId("smollm2")
                .optArgument("chat", true)
                .optArgument("maxNewTokens", 12)
                .build();
        try (ZooModel<String, String> model = criteria.loadModel();
                Predictor<String, String> predictor = model.newPredictor()) {
            String answer = predictor.predict("What is the capital of France?");
            assertTrue(answer.contains("Paris"), answer);
        }
    }

    private static ZooModel<String, String> stringModel(String artifactId) throws Exception {
        return Criteria.builder()
                .setTypes(String.class, String.class)
                .optArtifactId(artifactId)
                .build()
                .loadModel();
    }

    /** Links stories260K's checkpoint and tokenizer into a new model directory. */
    private Path linkStories(String name) throws IOException {
        Path dir = Files.createDirectory(root.resolve(name));
        for (String file : new String[] {StoriesReference.CHECKPOINT, StoriesReference.TOKENIZER}) {
            Path target = SharedFiles.require(file).toAbsolutePath();
            Files.createSymbolicLink(dir.resolve(target.getFileName()), target);
        }
        return dir;
    }
}
