package io.djlint4.tokenizer;

import java.util.List;

/**
 * The Llama 3 chat format: {@code <|begin_of_text|>}, then per message {@code
 * <|start_header_id|>role<|end_header_id|>\n\ncontent<|eot_id|>} with the content trimmed, and
 * {@code <|start_header_id|>assistant<|end_header_id|>\n\n} as generation prompt. This is Meta's
 * Llama 3 template; the date preamble that Llama 3.1+ templates add to the system message is not
 * reproduced.
 */
public final class Llama3ChatTemplate implements ChatTemplate {

    private static final String BEGIN_OF_TEXT = "<|begin_of_text|>";
    private static final String END_OF_TURN = "<|eot_id|>";

    @Override
    public ChatPrompt prompt(List<ChatMessage> messages, boolean addGenerationPrompt) {
        ChatPrompt.Builder sb = new ChatPrompt.Builder().control(BEGIN_OF_TEXT);
        for (ChatMessage message : messages) {
            appendHeader(sb, message.role());
            sb.message(trim(message.content())).control(END_OF_TURN);
        }
        if (addGenerationPrompt) {
            appendHeader(sb, "assistant");
        }
        return sb.build();
    }

    private static void appendHeader(ChatPrompt.Builder sb, String role) {
        sb.control("<|start_header_id|>").message(role).control("<|end_header_id|>\n\n");
    }

    /** Jinja's {@code trim} is Python's {@code str.strip()}, which also strips no-break spaces. */
    private static String trim(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    @Override
    public List<String> endOfTurnTokens() {
        return List.of(END_OF_TURN);
    }
}
