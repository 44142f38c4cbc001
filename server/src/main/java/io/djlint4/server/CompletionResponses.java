package io.djlint4.server;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import io.djlint4.generation.GenerationResult;
import io.djlint4.generation.StopReason;

/**
 * The JSON bodies of one completion in OpenAI's formats: the whole response, and the chunks of a
 * stream ({@code chat.completion.chunk} or {@code text_completion}).
 */
final class CompletionResponses {

    private final boolean chat;
    private final String id;
    private final long created;
    private final String model;

    CompletionResponses(boolean chat, String id, long created, String model) {
        this.chat = chat;
        this.id = id;
        this.created = created;
        this.model = model;
    }

    /** The whole answer of a non-streamed request. */
    JsonObject complete(GenerationResult r) {
        JsonObject choice = new JsonObject();
        choice.addProperty("index", 0);
        if (chat) {
            JsonObject message = new JsonObject();
            message.addProperty("role", "assistant");
            message.addProperty("content", r.text());
            choice.add("message", message);
        } else {
            choice.addProperty("text", r.text());
        }
        choice.add("logprobs", JsonNull.INSTANCE);
        choice.addProperty("finish_reason", finishReason(r.stopReason()));
        JsonObject body = envelope(chat ? "chat.completion" : "text_completion");
        body.add("choices", single(choice));
        body.add("usage", usage(r));
        return body;
    }

    /** The first chunk of a chat stream, naming the role. */
    JsonObject roleChunk() {
        JsonObject delta = new JsonObject();
        delta.addProperty("role", "assistant");
        delta.addProperty("content", "");
        return chunk(delta, null, null);
    }

    /** A chunk carrying a piece of text. */
    JsonObject textChunk(String text) {
        if (chat) {
            JsonObject delta = new JsonObject();
            delta.addProperty("content", text);
            return chunk(delta, null, null);
        }
        return chunk(null, text, null);
    }

    /** The chunk that ends the choice with its finish reason. */
    JsonObject finishChunk(StopReason reason) {
        return chat ? chunk(new JsonObject(), null, reason) : chunk(null, "", reason);
    }

    /** The chunk after the last choice chunk that carries the token counts ({@code include_usage}). */
    JsonObject usageChunk(GenerationResult r) {
        JsonObject body = envelope(chat ? "chat.completion.chunk" : "text_completion");
        body.add("choices", new JsonArray());
        body.add("usage", usage(r));
        return body;
    }

    private JsonObject chunk(JsonObject delta, String text, StopReason reason) {
        JsonObject choice = new JsonObject();
        choice.addProperty("index", 0);
        if (delta != null) {
            choice.add("delta", delta);
        } else {
            choice.addProperty("text", text);
        }
        choice.add("logprobs", JsonNull.INSTANCE);
        if (reason == null) {
            choice.add("finish_reason", JsonNull.INSTANCE);
        } else {
            choice.addProperty("finish_reason", finishReason(reason));
        }
        JsonObject body = envelope(chat ? "chat.completion.chunk" : "text_completion");
        body.add("choices", single(choice));
        return body;
    }

    private JsonObject envelope(String object) {
        JsonObject body = new JsonObject();
        body.addProperty("id", id);
        body.addProperty("object", object);
        body.addProperty("created", created);
        body.addProperty("model", model);
        return body;
    }

    private static JsonArray single(JsonObject choice) {
        JsonArray choices = new JsonArray();
        choices.add(choice);
        return choices;
    }

    private static JsonObject usage(GenerationResult r) {
        JsonObject usage = new JsonObject();
        int prompt = r.promptIds().length;
        int completion = r.tokens().length;
        usage.addProperty("prompt_tokens", prompt);
        usage.addProperty("completion_tokens", completion);
        usage.addProperty("total_tokens", prompt + completion);
        return usage;
    }

    /** OpenAI's reasons: {@code stop} for an EOS token or a stop string, {@code length} for the limit. */
    static String finishReason(StopReason reason) {
        return reason == StopReason.MAX_TOKENS ? "length" : "stop";
    }
}
