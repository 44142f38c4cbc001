package io.djlint4.server;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.djlint4.generation.GenerationConfig;
import io.djlint4.generation.SamplingConfig;
import io.djlint4.tokenizer.ChatMessage;
import io.djlint4.tokenizer.TextTokenizer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads the JSON body of {@code /v1/completions} and {@code /v1/chat/completions} as OpenAI
 * defines it, checking every field it uses; a bad one is an {@link ApiException} naming it.
 * Fields it does not use ({@code user}, {@code logit_bias}, ...) are ignored, as clients send them.
 */
final class CompletionRequestParser {

    /** OpenAI's default {@code max_tokens} of the legacy completions endpoint. */
    static final int DEFAULT_COMPLETION_TOKENS = 16;

    private static final int MAX_STOP_STRINGS = 4;
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant");

    private final ServedModel model;
    private final int contextLength;

    CompletionRequestParser(ServedModel model, int contextLength) {
        this.model = model;
        this.contextLength = contextLength;
    }

    CompletionParams parse(String body, boolean chat) throws ApiException {
        JsonObject o = object(body);
        String name = string(o, "model", true);
        if (!name.equals(model.name())) {
            throw new ApiException(400, "invalid_request_error",
                    "The model '" + name + "' does not exist; this server serves '" + model.name() + "'",
                    "model", "model_not_found");
        }
        int n = integer(o, "n", 1, 1, Integer.MAX_VALUE);
        if (n != 1) {
            throw ApiException.invalid("n", "only n=1 is supported, got " + n);
        }
        int[] promptIds = chat ? chatPrompt(o) : textPrompt(o);
        String promptField = chat ? "messages" : "prompt";
        if (promptIds.length == 0) {
            throw ApiException.invalid(promptField, "the prompt encodes to no tokens");
        }
        int room = contextLength - promptIds.length;
        if (room < 1) {
            throw new ApiException(400, "invalid_request_error", "This model's maximum context length is "
                    + contextLength + " tokens, and the prompt has " + promptIds.length + " tokens",
                    promptField, "context_length_exceeded");
        }
        String tokensField = chat && has(o, "max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
        int maxTokens = integer(o, tokensField, chat ? room : Math.min(DEFAULT_COMPLETION_TOKENS, room), 1,
                Integer.MAX_VALUE);
        if (maxTokens > room) {
            throw new ApiException(400, "invalid_request_error", "This model's maximum context length is "
                    + contextLength + " tokens; you requested " + (promptIds.length + (long) maxTokens) + " ("
                    + promptIds.length + " in the prompt, " + maxTokens + " for the completion)",
                    tokensField, "context_length_exceeded");
        }
        double temperature = number(o, "temperature", 1.0);
        if (temperature < 0 || temperature > 2) {
            throw ApiException.invalid("temperature", "temperature must be in [0, 2], got " + temperature);
        }
        double topP = number(o, "top_p", 1.0);
        if (!(topP > 0 && topP <= 1)) {
            throw ApiException.invalid("top_p", "top_p must be in (0, 1], got " + topP);
        }
        long seed = has(o, "seed") ? longInteger(o, "seed") : ThreadLocalRandom.current().nextLong();
        List<String> stop = stopStrings(o);
        // llama.cpp's and vLLM's extension: generate max_tokens whatever the model says, as load tests need
        boolean ignoreEos = bool(o, "ignore_eos", false);
        boolean stream = bool(o, "stream", false);
        boolean includeUsage = false;
        if (has(o, "stream_options")) {
            if (!stream) {
                throw ApiException.invalid("stream_options", "stream_options is only allowed with stream=true");
            }
            JsonElement so = o.get("stream_options");
            if (!so.isJsonObject()) {
                throw ApiException.invalid("stream_options", "stream_options must be an object");
            }
            includeUsage = bool(so.getAsJsonObject(), "include_usage", false, "stream_options.include_usage");
        }
        SamplingConfig sampling = new SamplingConfig(temperature, 0, topP, 1, seed);
        GenerationConfig generation =
                new GenerationConfig(maxTokens, sampling, ignoreEos ? new int[0] : model.eosIds(), stop);
        return new CompletionParams(chat, promptIds, generation, stream, includeUsage);
    }

    private static JsonObject object(String body) throws ApiException {
        JsonElement root;
        try {
            root = JsonParser.parseString(body);
        } catch (JsonParseException e) {
            throw new ApiException(400, "invalid_request_error",
                    "the body is not valid JSON: " + e.getMessage(), null, "invalid_json");
        }
        if (!root.isJsonObject()) {
            throw new ApiException(400, "invalid_request_error", "the body must be a JSON object", null,
                    "invalid_json");
        }
        return root.getAsJsonObject();
    }

    private int[] textPrompt(JsonObject o) throws ApiException {
        if (!has(o, "prompt")) {
            throw ApiException.invalid("prompt", "prompt is required");
        }
        JsonElement p = o.get("prompt");
        TextTokenizer tokenizer = model.tokenizer();
        if (isString(p)) {
            return tokenizer.encode(p.getAsString(), tokenizer.addBosByDefault(), false);
        }
        if (p.isJsonArray() && p.getAsJsonArray().size() == 1 && isString(p.getAsJsonArray().get(0))) {
            return tokenizer.encode(p.getAsJsonArray().get(0).getAsString(), tokenizer.addBosByDefault(), false);
        }
        if (p.isJsonArray() && !p.getAsJsonArray().isEmpty()) {
            JsonArray a = p.getAsJsonArray();
            int[] ids = new int[a.size()];
            for (int i = 0; i < ids.length; i++) {
                BigDecimal v = integral(a.get(i), "prompt[" + i + "]");
                if (v.signum() < 0 || v.compareTo(BigDecimal.valueOf(tokenizer.vocabSize())) >= 0) {
                    throw ApiException.invalid("prompt[" + i + "]",
                            "token id " + v + " is outside the vocabulary [0, " + tokenizer.vocabSize() + ")");
                }
                ids[i] = v.intValue();
            }
            return ids;
        }
        throw ApiException.invalid("prompt", "prompt must be a string, an array of one string or an array of token ids");
    }

    private int[] chatPrompt(JsonObject o) throws ApiException {
        if (model.chatTemplate() == null) {
            throw new ApiException(400, "invalid_request_error", "the model '" + model.name()
                    + "' has no chat template; use /v1/completions", "messages", "chat_template_missing");
        }
        if (!has(o, "messages") || !o.get("messages").isJsonArray() || o.getAsJsonArray("messages").isEmpty()) {
            throw ApiException.invalid("messages", "messages must be a non-empty array");
        }
        JsonArray a = o.getAsJsonArray("messages");
        List<ChatMessage> messages = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            String at = "messages[" + i + "]";
            if (!a.get(i).isJsonObject()) {
                throw ApiException.invalid(at, at + " must be an object");
            }
            JsonObject m = a.get(i).getAsJsonObject();
            String role = string(m, "role", true, at + ".role");
            if (!ROLES.contains(role)) {
                throw ApiException.invalid(at + ".role", "role must be one of " + ROLES + ", got '" + role + "'");
            }
            messages.add(new ChatMessage(role.equals("developer") ? "system" : role, content(m, at + ".content")));
        }
        try {
            return model.chatTemplate().prompt(messages, true).encode(model.tokenizer());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("messages", "the chat template cannot render these messages: " + e.getMessage());
        }
    }

    /** A message's content: a string, or an array of {@code {"type": "text", "text": ...}} parts. */
    private static String content(JsonObject m, String field) throws ApiException {
        JsonElement c = m.get("content");
        if (isString(c)) {
            return c.getAsString();
        }
        if (c != null && c.isJsonArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonElement part : c.getAsJsonArray()) {
                if (!part.isJsonObject() || !isString(part.getAsJsonObject().get("type"))
                        || !part.getAsJsonObject().get("type").getAsString().equals("text")
                        || !isString(part.getAsJsonObject().get("text"))) {
                    throw ApiException.invalid(field, "only text content parts are supported");
                }
                text.append(part.getAsJsonObject().get("text").getAsString());
            }
            return text.toString();
        }
        throw ApiException.invalid(field, field + " must be a string or an array of text parts");
    }

    private static List<String> stopStrings(JsonObject o) throws ApiException {
        if (!has(o, "stop")) {
            return List.of();
        }
        JsonElement s = o.get("stop");
        List<String> stop = new ArrayList<>();
        if (isString(s)) {
            stop.add(s.getAsString());
        } else if (s.isJsonArray() && s.getAsJsonArray().size() <= MAX_STOP_STRINGS) {
            for (JsonElement e : s.getAsJsonArray()) {
                if (!isString(e)) {
                    throw ApiException.invalid("stop", "stop must hold strings only");
                }
                stop.add(e.getAsString());
            }
        } else {
            throw ApiException.invalid("stop", "stop must be a string or an array of up to " + MAX_STOP_STRINGS
                    + " strings");
        }
        if (stop.contains("")) {
            throw ApiException.invalid("stop", "stop strings must not be empty");
        }
        return stop;
    }

    private static boolean has(JsonObject o, String field) {
        return o.has(field) && !o.get(field).isJsonNull();
    }

    private static boolean isString(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
    }

    private static String string(JsonObject o, String field, boolean required) throws ApiException {
        return string(o, field, required, field);
    }

    private static String string(JsonObject o, String field, boolean required, String name) throws ApiException {
        if (!has(o, field)) {
            if (required) {
                throw ApiException.invalid(name, name + " is required");
            }
            return null;
        }
        if (!isString(o.get(field))) {
            throw ApiException.invalid(name, name + " must be a string");
        }
        return o.get(field).getAsString();
    }

    private static boolean bool(JsonObject o, String field, boolean fallback) throws ApiException {
        return bool(o, field, fallback, field);
    }

    private static boolean bool(JsonObject o, String field, boolean fallback, String name) throws ApiException {
        if (!has(o, field)) {
            return fallback;
        }
        JsonElement e = o.get(field);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw ApiException.invalid(name, name + " must be true or false");
        }
        return e.getAsBoolean();
    }

    private static double number(JsonObject o, String field, double fallback) throws ApiException {
        if (!has(o, field)) {
            return fallback;
        }
        JsonElement e = o.get(field);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw ApiException.invalid(field, field + " must be a number");
        }
        double v = e.getAsDouble();
        if (!Double.isFinite(v)) {
            throw ApiException.invalid(field, field + " must be finite");
        }
        return v;
    }

    private static int integer(JsonObject o, String field, int fallback, int min, int max) throws ApiException {
        if (!has(o, field)) {
            return fallback;
        }
        BigDecimal v = integral(o.get(field), field);
        if (v.compareTo(BigDecimal.valueOf(min)) < 0 || v.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw ApiException.invalid(field, field + " must be at least " + min
                    + (max == Integer.MAX_VALUE ? "" : " and at most " + max) + ", got " + v);
        }
        return v.intValueExact();
    }

    private static long longInteger(JsonObject o, String field) throws ApiException {
        BigDecimal v = integral(o.get(field), field);
        try {
            return v.longValueExact();
        } catch (ArithmeticException e) {
            throw ApiException.invalid(field, field + " must fit in 64 bits, got " + v);
        }
    }

    private static BigDecimal integral(JsonElement e, String field) throws ApiException {
        if (e == null || !e.isJsonPrimitive() || !((JsonPrimitive) e).isNumber()) {
            throw ApiException.invalid(field, field + " must be an integer");
        }
        BigDecimal v;
        try {
            v = e.getAsBigDecimal();
        } catch (NumberFormatException ex) {
            throw ApiException.invalid(field, field + " must be an integer");
        }
        if (v.stripTrailingZeros().scale() > 0) {
            throw ApiException.invalid(field, field + " must be an integer, got " + v);
        }
        return v;
    }
}
