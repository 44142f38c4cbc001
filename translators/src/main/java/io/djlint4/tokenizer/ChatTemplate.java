package io.djlint4.tokenizer;

import java.util.List;

/**
 * Renders a conversation into the prompt text a chat model was trained on, like the Jinja {@code
 * chat_template} of the model's tokenizer configuration does for plain text messages (no tools).
 * Encode the result with special-token parsing on; the rendered text already contains any
 * beginning-of-text token the template writes, so encode it with {@code addBos = false}.
 */
public interface ChatTemplate {

    /**
     * Renders a conversation.
     *
     * @param messages the messages in order
     * @param addGenerationPrompt whether to end with the header that opens the assistant's reply
     * @return the prompt text
     */
    String render(List<ChatMessage> messages, boolean addGenerationPrompt);

    /**
     * Returns the special tokens that close a turn; generation should stop at any of them.
     *
     * @return the token texts, for {@link TextTokenizer#idOf(String)}
     */
    List<String> endOfTurnTokens();
}
