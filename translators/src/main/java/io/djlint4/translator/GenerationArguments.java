package io.djlint4.translator;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.djlint4.generation.SamplingConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads {@link TextGenerationSettings} from translator arguments: {@code maxNewTokens}, {@code
 * temperature}, {@code topK}, {@code topP}, {@code repetitionPenalty}, {@code seed}, {@code
 * chat} and {@code stopStrings} (a list of strings, or text: a JSON array of strings, else one stop
 * string). Each key is looked up in the arguments first, then in a fallback (the model's properties,
 * where an engine can publish {@code serving.properties} {@code option.*} values); missing keys
 * keep the {@link TextGenerationSettings#DEFAULT} values.
 */
public final class GenerationArguments {

    private static final String STOP_STRINGS = "stopStrings";

    private GenerationArguments() {}

    /**
     * Parses the settings.
     *
     * @param arguments the translator arguments, possibly {@code null}
     * @param fallback looks a key up elsewhere, returning {@code null} when absent
     * @return the settings
     * @throws IllegalArgumentException naming the key when a value does not parse or is out of range
     */
    public static TextGenerationSettings parse(Map<String, ?> arguments, Function<String, String> fallback) {
        Function<String, String> lookup = key -> {
            Object v = arguments == null ? null : arguments.get(key);
            return v != null ? v.toString().trim() : fallback.apply(key);
        };
        SamplingConfig greedy = SamplingConfig.GREEDY;
        int maxNewTokens = integer(lookup, "maxNewTokens", TextGenerationSettings.DEFAULT_MAX_NEW_TOKENS);
        SamplingConfig sampling;
        try {
            sampling = new SamplingConfig(
                    decimal(lookup, "temperature", greedy.temperature()),
                    integer(lookup, "topK", greedy.topK()),
                    decimal(lookup, "topP", greedy.topP()),
                    decimal(lookup, "repetitionPenalty", greedy.repetitionPenalty()),
                    longValue(lookup, "seed", greedy.seed()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid sampling argument: " + e.getMessage(), e);
        }
        String chat = lookup.apply("chat");
        if (chat != null && !chat.equalsIgnoreCase("true") && !chat.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("argument chat must be true or false, got '" + chat + "'");
        }
        return new TextGenerationSettings(
                maxNewTokens, sampling, Boolean.parseBoolean(chat), stopStrings(arguments, fallback));
    }

    private static List<String> stopStrings(Map<String, ?> arguments, Function<String, String> fallback) {
        Object v = arguments == null ? null : arguments.get(STOP_STRINGS);
        if (v == null) {
            v = fallback.apply(STOP_STRINGS);
        }
        List<String> stops = new ArrayList<>();
        if (v instanceof Collection) {
            for (Object s : (Collection<?>) v) {
                stops.add(String.valueOf(s));
            }
        } else if (v != null && v.toString().trim().startsWith("[")) {
            try {
                for (JsonElement e : JsonParser.parseString(v.toString()).getAsJsonArray()) {
                    stops.add(e.getAsString());
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "argument " + STOP_STRINGS + " is not a JSON array of strings: '" + v + "'", e);
            }
        } else if (v != null) {
            stops.add(v.toString());
        }
        if (stops.contains("")) {
            throw new IllegalArgumentException("argument " + STOP_STRINGS + " holds an empty string: " + v);
        }
        return stops;
    }

    private static int integer(Function<String, String> lookup, String key, int fallback) {
        String v = lookup.apply(key);
        try {
            return v == null ? fallback : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("argument " + key + " is not an integer: '" + v + "'", e);
        }
    }

    private static long longValue(Function<String, String> lookup, String key, long fallback) {
        String v = lookup.apply(key);
        try {
            return v == null ? fallback : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("argument " + key + " is not an integer: '" + v + "'", e);
        }
    }

    private static double decimal(Function<String, String> lookup, String key, double fallback) {
        String v = lookup.apply(key);
        try {
            return v == null ? fallback : Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("argument " + key + " is not a number: '" + v + "'", e);
        }
    }
}
