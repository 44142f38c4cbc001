package io.djlint4.engine;

import io.djlint4.quant.QuantRecipe;
import io.djlint4.quant.RecipeSettings;
import io.djlint4.quant.calib.CalibrationSet;
import io.djlint4.quant.calib.WikiTextDetokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The load options of {@link Int4Model} that feed calibrating recipes: {@code calibration} (a
 * text file, relative to the model directory unless absolute), {@code calibrationSequences} and
 * {@code calibrationLength} (the size of the set cut from it, {@link RecipeSettings#DEFAULT} when
 * absent), and {@code weightBudget}, the bits per weight a weight-only {@code auto} plan spends.
 * The text is encoded by a {@link CalibrationTokenizer} found with the {@link ServiceLoader}, after
 * {@link WikiTextDetokenizer} has undone WikiText's tokenization if the text has it.
 */
final class LoadTimeCalibration {

    static final String FILE = "calibration";
    static final String SEQUENCES = "calibrationSequences";
    static final String LENGTH = "calibrationLength";
    static final String WEIGHT_BUDGET = "weightBudget";

    private LoadTimeCalibration() {}

    /**
     * Reads the calibration size options.
     *
     * @param options the load options, possibly {@code null}
     * @return the default settings with the size and budget the options ask for
     * @throws IllegalArgumentException naming the option when a value is not positive
     */
    static RecipeSettings settings(Map<String, ?> options) {
        RecipeSettings d = RecipeSettings.DEFAULT;
        return d.withCalibrationSize(
                        positive(options, SEQUENCES, d.calibrationSequences()),
                        positive(options, LENGTH, d.calibrationLength()))
                .withWeightBudget(positiveNumber(options, WEIGHT_BUDGET, d.weightBudget()));
    }

    /**
     * Finds the calibration text a recipe needs.
     *
     * @param options the load options, possibly {@code null}
     * @param modelDir the model directory (or file) relative paths start from
     * @param recipe the recipe, which calibrates
     * @return the text file
     * @throws IllegalArgumentException when the option is missing or names no readable file
     */
    static Path requireFile(Map<String, ?> options, Path modelDir, QuantRecipe recipe) {
        Object value = options == null ? null : options.get(FILE);
        if (value == null || value.toString().isBlank()) {
            throw new IllegalArgumentException("option quantization=" + recipe + " needs calibration data: set option "
                    + FILE + " to a text file (Criteria.optOption(\"" + FILE + "\", path) or option." + FILE
                    + "=path in serving.properties), a training or validation text, never the text being evaluated");
        }
        Path base = Files.isDirectory(modelDir) ? modelDir : modelDir.toAbsolutePath().getParent();
        Path file = base.resolve(value.toString().trim());
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("option " + FILE + ": " + file + " is not a readable file");
        }
        return file;
    }

    /**
     * Encodes the calibration text with the model's tokenizer (detokenized first when it is
     * WikiText's tokenized format) and cuts the set from it.
     *
     * @param model the model being loaded (checkpoint read, properties published)
     * @param options the load options
     * @param file the calibration text
     * @param settings the size of the set
     * @return the calibration set
     * @throws IOException when the text or the tokenizer cannot be read
     * @throws IllegalArgumentException when no tokenizer provider is on the class path or the text
     *     is too short
     */
    static CalibrationSet calibrationSet(Int4Model model, Map<String, ?> options, Path file, RecipeSettings settings)
            throws IOException {
        Iterator<CalibrationTokenizer> providers = ServiceLoader.load(CalibrationTokenizer.class).iterator();
        if (!providers.hasNext()) {
            throw new IllegalArgumentException("option " + FILE + " needs the model's tokenizer to encode " + file
                    + ", and no " + CalibrationTokenizer.class.getName()
                    + " is on the class path: add the io.djlint4:model-zoo module");
        }
        String text = WikiTextDetokenizer.prepare(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        int[] ids = providers.next().encode(model, options, text);
        if (ids.length < 2) {
            throw new IllegalArgumentException("option " + FILE + ": " + file + " encodes to " + ids.length
                    + " tokens; calibration needs a text of at least 2");
        }
        long[] tokens = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            tokens[i] = ids[i];
        }
        return settings.calibrationSet(tokens);
    }

    private static double positiveNumber(Map<String, ?> options, String key, double fallback) {
        Object value = options == null ? null : options.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            double x = Double.parseDouble(value.toString().trim());
            if (x > 0 && Double.isFinite(x)) {
                return x;
            }
        } catch (NumberFormatException e) {
            // Reported below with the value.
        }
        throw new IllegalArgumentException("option " + key + " must be a positive number, got '" + value + "'");
    }

    private static int positive(Map<String, ?> options, String key, int fallback) {
        Object value = options == null ? null : options.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.toString().trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Reported below with the value.
        }
        throw new IllegalArgumentException("option " + key + " must be a positive integer, got '" + value + "'");
    }
}
