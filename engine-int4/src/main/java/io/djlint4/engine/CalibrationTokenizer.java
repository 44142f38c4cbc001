package io.djlint4.engine;

import java.io.IOException;
import java.util.Map;

/**
 * Encodes calibration text with a model's own tokenizer while {@link Int4Model} loads, for
 * quantization recipes that calibrate on text. Tokenizers live outside the engine (the engine
 * does not depend on them), so implementations are found with {@link java.util.ServiceLoader}: the
 * {@code model-zoo} module registers one in {@code
 * META-INF/services/io.djlint4.engine.CalibrationTokenizer}.
 */
public interface CalibrationTokenizer {

    /**
     * Encodes calibration text.
     *
     * @param model the model being loaded: its checkpoint is read and its properties (such as
     *     {@code checkpoint}) are published, but it is not quantized yet
     * @param options the load options (a {@code tokenizer} option may name the tokenizer file)
     * @param text the calibration text
     * @return the token ids, without BOS
     * @throws IOException when no tokenizer is found for the model or it cannot be read
     */
    int[] encode(Int4Model model, Map<String, ?> options, String text) throws IOException;
}
