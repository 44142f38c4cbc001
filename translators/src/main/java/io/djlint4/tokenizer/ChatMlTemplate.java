package io.djlint4.tokenizer;

import java.util.List;
import java.util.Optional;

/**
 * The plain ChatML format of Qwen2/2.5 and SmolLM: {@code <|im_start|>role\ncontent<|im_end|>\n}
 * per message, and {@code <|im_start|>assistant\n} as generation prompt. Some templates (Qwen2.5,
 * SmolLM2) add a default system message when a non-empty conversation does not start with one.
 * Roles are copied verbatim; Qwen's grouping of {@code tool} messages is not reproduced. Qwen3's
 * thinking-aware variant is {@link Qwen3ChatTemplate}.
 */
public final class ChatMlTemplate implements ChatTemplate {

    static final String START = "<|im_start|>";
    static final String END = "<|im_end|>";

    private final String defaultSystemPrompt;

    /** Creates the template without a default system message. */
    public ChatMlTemplate() {
        this(null);
    }

    /**
     * Creates the template with a default system message.
     *
     * @param defaultSystemPrompt the system message used when the conversation has none, or {@code
     *     null} for none
     */
    public ChatMlTemplate(String defaultSystemPrompt) {
        this.defaultSystemPrompt = defaultSystemPrompt;
    }

    /**
     * Returns the default system message.
     *
     * @return the message, or empty when the template adds none
     */
    public Optional<String> defaultSystemPrompt() {
        return Optional.ofNullable(defaultSystemPrompt);
    }

    @Override
    public ChatPrompt prompt(List<ChatMessage> messages, boolean addGenerationPrompt) {
        ChatPrompt.Builder sb = new ChatPrompt.Builder();
        boolean needsSystem = !messages.isEmpty() && !"system".equals(messages.get(0).role());
        if (defaultSystemPrompt != null && needsSystem) {
            appendMessage(sb, "system", defaultSystemPrompt);
        }
        for (ChatMessage message : messages) {
            appendMessage(sb, message.role(), message.content());
        }
        if (addGenerationPrompt) {
            sb.control(START + "assistant\n");
        }
        return sb.build();
    }

    static void appendMessage(ChatPrompt.Builder sb, String role, String content) {
        sb.control(START).message(role).control("\n").message(content).control(END + "\n");
    }

    @Override
    public List<String> endOfTurnTokens() {
        return List.of(END);
    }
}
