package io.djlint4.translator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.generation.SamplingConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GenerationArgumentsTest {

    @Test
    void missingKeysKeepTheDefaults() {
        assertEquals(TextGenerationSettings.DEFAULT, GenerationArguments.parse(null, key -> null));
    }

    @Test
    void argumentsOfAnyTypeAreRead() {
        TextGenerationSettings s = GenerationArguments.parse(Map.of(
                "maxNewTokens", 12, "temperature", "0.7", "topK", 40, "topP", 0.9,
                "repetitionPenalty", "1.1", "seed", 42L, "chat", "true"), key -> null);
        assertEquals(12, s.maxNewTokens());
        assertEquals(new SamplingConfig(0.7, 40, 0.9, 1.1, 42), s.sampling());
        assertTrue(s.chat());
    }

    @Test
    void argumentsWinOverTheFallback() {
        Map<String, String> properties = Map.of("maxNewTokens", "5", "temperature", "0.5");
        TextGenerationSettings s = GenerationArguments.parse(Map.of("maxNewTokens", "9"), properties::get);
        assertEquals(9, s.maxNewTokens());
        assertEquals(0.5, s.sampling().temperature());
        assertFalse(s.chat());
    }

    @Test
    void stopStringsComeAsAListAJsonArrayOrOneString() {
        assertEquals(List.of(".", "\n"),
                GenerationArguments.parse(Map.of("stopStrings", List.of(".", "\n")), key -> null).stopStrings());
        Map<String, String> properties = Map.of("stopStrings", "[\"The end\", \"\\n\\n\"]");
        assertEquals(List.of("The end", "\n\n"), GenerationArguments.parse(null, properties::get).stopStrings());
        assertEquals(List.of(" and "), GenerationArguments.parse(Map.of("stopStrings", " and "), key -> null).stopStrings());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> GenerationArguments.parse(Map.of("stopStrings", "[\"a\", "), key -> null));
        assertTrue(bad.getMessage().contains("stopStrings is not a JSON array"), bad.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> GenerationArguments.parse(Map.of("stopStrings", List.of("")), key -> null));
        assertTrue(empty.getMessage().contains("stopStrings holds an empty string"), empty.getMessage());
    }

    @Test
    void badValuesNameTheKey() {
        IllegalArgumentException notANumber = assertThrows(IllegalArgumentException.class,
                () -> GenerationArguments.parse(Map.of("topK", "many"), key -> null));
        assertTrue(notANumber.getMessage().contains("topK"), notANumber.getMessage());
        IllegalArgumentException outOfRange = assertThrows(IllegalArgumentException.class,
                () -> GenerationArguments.parse(Map.of("topP", "1.5"), key -> null));
        assertTrue(outOfRange.getMessage().contains("top-p"), outOfRange.getMessage());
        IllegalArgumentException zeroTokens = assertThrows(IllegalArgumentException.class,
                () -> GenerationArguments.parse(Map.of("maxNewTokens", 0), key -> null));
        assertTrue(zeroTokens.getMessage().contains("maxNewTokens"), zeroTokens.getMessage());
        IllegalArgumentException chat = assertThrows(IllegalArgumentException.class,
                () -> GenerationArguments.parse(Map.of("chat", "yes"), key -> null));
        assertTrue(chat.getMessage().contains("chat"), chat.getMessage());
    }
}
