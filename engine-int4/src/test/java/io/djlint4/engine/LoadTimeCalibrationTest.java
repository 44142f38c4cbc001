package io.djlint4.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.djlint4.quant.QuantRecipe;
import io.djlint4.quant.RecipeSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load options of calibrating recipes: sizes, the text file, and the tokenizer lookup. */
class LoadTimeCalibrationTest {

    private static final QuantRecipe GPTQ = QuantRecipe.parse("w4a16+gptq");

    @TempDir
    Path dir;

    @Test
    void sizesDefaultAndFollowTheOptions() {
        RecipeSettings d = LoadTimeCalibration.settings(null);
        assertEquals(RecipeSettings.DEFAULT.calibrationSequences(), d.calibrationSequences());
        assertEquals(RecipeSettings.DEFAULT.calibrationLength(), d.calibrationLength());
        RecipeSettings s = LoadTimeCalibration.settings(Map.of("calibrationSequences", "3", "calibrationLength", " 40"));
        assertEquals(3, s.calibrationSequences());
        assertEquals(40, s.calibrationLength());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> LoadTimeCalibration.settings(Map.of("calibrationLength", "0")));
        assertTrue(e.getMessage().contains("option calibrationLength must be a positive integer, got '0'"), e.getMessage());
    }

    @Test
    void theTextIsRequiredAndFoundRelativeToTheModelDirectory() throws Exception {
        IllegalArgumentException missing =
                assertThrows(IllegalArgumentException.class, () -> LoadTimeCalibration.requireFile(Map.of(), dir, GPTQ));
        assertTrue(missing.getMessage().contains("w4a16+gptq needs calibration data: set option calibration"),
                missing.getMessage());
        IllegalArgumentException absent = assertThrows(IllegalArgumentException.class,
                () -> LoadTimeCalibration.requireFile(Map.of("calibration", "calib.txt"), dir, GPTQ));
        assertTrue(absent.getMessage().contains(dir.resolve("calib.txt") + " is not a readable file"), absent.getMessage());
        Path text = Files.writeString(dir.resolve("calib.txt"), "some text");
        assertEquals(text, LoadTimeCalibration.requireFile(Map.of("calibration", "calib.txt"), dir, GPTQ));
        Path checkpoint = Files.writeString(dir.resolve("model.bin"), "");
        assertEquals(text, LoadTimeCalibration.requireFile(Map.of("calibration", "calib.txt"), checkpoint, GPTQ));
    }

    @Test
    void withoutATokenizerProviderTheMessageNamesTheModuleToAdd() throws Exception {
        Path text = Files.writeString(dir.resolve("calib.txt"), "some text");
        try (NDManager manager = NDManager.newBaseManager("Int4")) {
            Int4Model model = new Int4Model("m", manager.newSubManager());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LoadTimeCalibration.calibrationSet(model, Map.of(), text, RecipeSettings.DEFAULT));
            assertTrue(e.getMessage().contains("io.djlint4:model-zoo"), e.getMessage());
        }
    }
}
