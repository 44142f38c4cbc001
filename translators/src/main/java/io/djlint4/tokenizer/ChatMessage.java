package io.djlint4.tokenizer;

import java.util.Objects;

/**
 * One message of a conversation.
 *
 * @param role who speaks: {@code "system"}, {@code "user"} or {@code "assistant"} (templates copy
 *     other roles verbatim)
 * @param content what is said
 */
public record ChatMessage(String role, String content) {

    /**
     * Creates a message.
     *
     * @param role who speaks
     * @param content what is said
     */
    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    /**
     * Creates a system message.
     *
     * @param content the instructions
     * @return the message
     */
    public static ChatMessage system(String content) {
        return new ChatMessage("system", content);
    }

    /**
     * Creates a user message.
     *
     * @param content what the user says
     * @return the message
     */
    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }

    /**
     * Creates an assistant message.
     *
     * @param content what the assistant said
     * @return the message
     */
    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content);
    }
}
