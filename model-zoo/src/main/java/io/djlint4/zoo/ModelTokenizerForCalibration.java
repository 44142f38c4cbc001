package io.djlint4.zoo;

import io.djlint4.engine.CalibrationTokenizer;
import io.djlint4.engine.Int4Model;
import java.io.IOException;
import java.util.Map;

/**
 * Encodes calibration text while an Int4 model loads with the tokenizer its text-generation
 * translator will use, found the same way by {@link Int4TranslatorFactory} (GGUF metadata, {@code
 * tokenizer.json}, llama2.c {@code tok*.bin}, or the {@code tokenizer} option). Registered for
 * {@link java.util.ServiceLoader} in {@code META-INF/services}.
 */
public final class ModelTokenizerForCalibration implements CalibrationTokenizer {

    /** Creates the provider; public and argument-free for the {@link java.util.ServiceLoader}. */
    public ModelTokenizerForCalibration() {}

    @Override
    public int[] encode(Int4Model model, Map<String, ?> options, String text) throws IOException {
        return new Int4TranslatorFactory().loadTokenizer(model, options).encode(text, false);
    }
}
