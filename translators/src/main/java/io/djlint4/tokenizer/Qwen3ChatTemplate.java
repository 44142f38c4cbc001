package io.djlint4.tokenizer;

import java.util.List;

/**
 * Qwen3's ChatML template, which handles thinking: assistant turns before the last user query lose
 * their {@code <think>...</think>} block; assistant turns after it keep (or, for the final turn,
 * get) a {@code <think>\n...\n</think>\n\n} block; with thinking disabled the generation prompt is
 * followed by an empty think block. {@code tool} messages are wrapped in {@code <tool_response>}
 * inside user turns, as the template does. There is no default system message.
 */
public final class Qwen3ChatTemplate implements ChatTemplate {

    private static final String THINK_OPEN = "<think>";
    private static final String THINK_CLOSE = "</think>";
    private static final String TOOL_OPEN = "<tool_response>";
    private static final String TOOL_CLOSE = "</tool_response>";

    private final boolean enableThinking;

    /** Creates the template with thinking enabled (the template's default). */
    public Qwen3ChatTemplate() {
        this(true);
    }

    /**
     * Creates the template.
     *
     * @param enableThinking {@code false} to pass {@code enable_thinking=false}: the generation prompt
     *     then ends with an empty think block, so the model answers directly
     */
    public Qwen3ChatTemplate(boolean enableThinking) {
        this.enableThinking = enableThinking;
    }

    @Override
    public ChatPrompt prompt(List<ChatMessage> messages, boolean addGenerationPrompt) {
        ChatPrompt.Builder sb = new ChatPrompt.Builder();
        int n = messages.size();
        if (n > 0 && "system".equals(messages.get(0).role())) {
            ChatMlTemplate.appendMessage(sb, "system", messages.get(0).content());
        }
        int lastQuery = lastQueryIndex(messages);
        for (int i = 0; i < n; i++) {
            ChatMessage message = messages.get(i);
            String role = message.role();
            if ("user".equals(role) || ("system".equals(role) && i > 0)) {
                ChatMlTemplate.appendMessage(sb, role, message.content());
            } else if ("assistant".equals(role)) {
                appendAssistant(sb, message.content(), i > lastQuery, i == n - 1);
            } else if ("tool".equals(role)) {
                if (i == 0 || !"tool".equals(messages.get(i - 1).role())) {
                    sb.control(ChatMlTemplate.START + "user");
                }
                sb.control("\n" + TOOL_OPEN + "\n").message(message.content()).control("\n" + TOOL_CLOSE);
                if (i == n - 1 || !"tool".equals(messages.get(i + 1).role())) {
                    sb.control(ChatMlTemplate.END + "\n");
                }
            }
        }
        if (addGenerationPrompt) {
            sb.control(ChatMlTemplate.START + "assistant\n");
            if (!enableThinking) {
                sb.control(THINK_OPEN + "\n\n" + THINK_CLOSE + "\n\n");
            }
        }
        return sb.build();
    }

    /** The last user message that is not a wrapped tool response; the last index when none is. */
    private static int lastQueryIndex(List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            ChatMessage message = messages.get(i);
            String content = message.content();
            if ("user".equals(message.role()) && !(content.startsWith(TOOL_OPEN) && content.endsWith(TOOL_CLOSE))) {
                return i;
            }
        }
        return messages.size() - 1;
    }

    private static void appendAssistant(ChatPrompt.Builder sb, String text, boolean afterLastQuery, boolean last) {
        String content = text;
        String reasoning = "";
        int close = text.indexOf(THINK_CLOSE);
        if (close >= 0) {
            content = stripLeadingNewlines(text.substring(text.lastIndexOf(THINK_CLOSE) + THINK_CLOSE.length()));
            String before = stripTrailingNewlines(text.substring(0, close));
            reasoning = stripLeadingNewlines(before.substring(before.lastIndexOf(THINK_OPEN) < 0
                    ? 0
                    : before.lastIndexOf(THINK_OPEN) + THINK_OPEN.length()));
        }
        sb.control(ChatMlTemplate.START + "assistant\n");
        if (afterLastQuery && (last || !reasoning.isEmpty())) {
            sb.control(THINK_OPEN + "\n")
                    .message(stripTrailingNewlines(stripLeadingNewlines(reasoning)))
                    .control("\n" + THINK_CLOSE + "\n\n")
                    .message(stripLeadingNewlines(content));
        } else {
            sb.message(content);
        }
        sb.control(ChatMlTemplate.END + "\n");
    }

    private static String stripLeadingNewlines(String s) {
        int start = 0;
        while (start < s.length() && s.charAt(start) == '\n') {
            start++;
        }
        return s.substring(start);
    }

    private static String stripTrailingNewlines(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '\n') {
            end--;
        }
        return s.substring(0, end);
    }

    @Override
    public List<String> endOfTurnTokens() {
        return List.of(ChatMlTemplate.END);
    }
}
