package io.djlint4.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.djlint4.testing.ModelCache;
import io.djlint4.testing.SharedFiles;
import io.djlint4.testing.StoriesReference;
import io.djlint4.translator.ArgumentNames;
import io.djlint4.translator.TextGenerationTranslatorFactory;
import io.djlint4.zoo.Int4TranslatorFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Mistakes a new user makes surface with our message at the top of the exception, naming what to
 * change, instead of DJL's "No model with the specified URI" with the cause two or three levels down.
 */
class LoadErrorsTest {

    @Test
    void aNonNumericMaxNewTokensIsTheTopMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> load(Map.of("maxNewTokens", "ten")));
        assertTrue(e.getMessage().contains("argument maxNewTokens is not an integer: 'ten'"), e.getMessage());
    }

    @Test
    void aNegativeTemperatureIsTheTopMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> load(Map.of("temperature", -1)));
        assertTrue(e.getMessage().contains("temperature must be >= 0"), e.getMessage());
    }

    @Test
    void chatWithoutATemplateIsTheTopMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> load(Map.of("chat", true)));
        assertTrue(e.getMessage().contains("argument chat=true but model"), e.getMessage());
        assertTrue(e.getMessage().contains("has no chat template"), e.getMessage());
    }

    @Test
    void anUnknownArgumentIsWarnedAboutOnceWithTheValidNames() throws Exception {
        try (ZooModel<String, String> model = load(Map.of("maxNewTokenz", 3, "maxNewTokens", 2));
                Predictor<String, String> predictor = model.newPredictor()) {
            assertFalse(predictor.predict("Once").isEmpty());
        }
        assertEquals(List.of(), ArgumentNames.warnUnknown(Map.of("maxNewTokenz", 1)), "warned once per name");
        assertEquals(List.of("maxNewTokenx"), ArgumentNames.warnUnknown(Map.of("maxNewTokenx", 1, "seed", 2)));
    }

    @Test
    void aGpuDeviceIsRefusedNamingTheCpu() {
        Criteria<String, String> criteria = criteria(Map.of()).optDevice(Device.gpu()).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, criteria::loadModel);
        assertTrue(e.getMessage().contains("Int4 runs on the CPU only"), e.getMessage());
    }

    @Test
    void anUnknownOptionIsRefusedWithTheValidNames() {
        Criteria<String, String> criteria = criteria(Map.of()).optOption("quantisation", "w4a4").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, criteria::loadModel);
        assertTrue(e.getMessage().contains("unknown option 'quantisation'"), e.getMessage());
        assertTrue(e.getMessage().contains("quantization"), e.getMessage());
    }

    @Test
    void aGgufWithThePlainFactoryNamesTheInt4Factory() {
        Path gguf = ModelCache.smolLm2();
        Criteria<String, String> criteria = Criteria.builder()
                .setTypes(String.class, String.class)
                .optModelPath(gguf)
                .optEngine("Int4")
                .optTranslatorFactory(new TextGenerationTranslatorFactory())
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, criteria::loadModel);
        assertTrue(e.getMessage().contains("io.djlint4.zoo.Int4TranslatorFactory"), e.getMessage());
    }

    @Test
    void aFileUrlNamesItsTranslatorFactoryInTheQuery() throws Exception {
        Path checkpoint = SharedFiles.require(StoriesReference.CHECKPOINT).toAbsolutePath();
        Criteria<String, String> criteria = Criteria.builder()
                .setTypes(String.class, String.class)
                .optModelUrls(checkpoint.toUri() + "?translatorFactory=" + Int4TranslatorFactory.class.getName())
                .optEngine("Int4")
                .optArgument("maxNewTokens", 4)
                .build();
        try (ZooModel<String, String> model = criteria.loadModel();
                Predictor<String, String> predictor = model.newPredictor()) {
            assertFalse(predictor.predict("Once upon a time").isEmpty());
        }
    }

    private static ZooModel<String, String> load(Map<String, Object> arguments) throws Exception {
        return criteria(arguments).build().loadModel();
    }

    private static Criteria.Builder<String, String> criteria(Map<String, Object> arguments) {
        return Criteria.builder()
                .setTypes(String.class, String.class)
                .optModelPath(SharedFiles.require(StoriesReference.CHECKPOINT))
                .optEngine("Int4")
                .optTranslatorFactory(new TextGenerationTranslatorFactory())
                .optArguments(arguments);
    }
}
