package io.djlint4.tokenizer;

import java.util.List;

/**
 * Renders a conversation into the prompt text a chat model was trained on, like the Jinja {@code
 * chat_template} of the model's tokenizer configuration does for plain text messages (no tools).
 * Encode a conversation with {@link #prompt}{@code .encode(tokenizer)}, which reads control tokens
 * only in the template's own text: encoding {@link #render}'s text with special-token parsing on
 * would let a message forge turns.
 */
public interface ChatTemplate {

    /**
     * Renders a conversation.
     *
     * @param messages the messages in order
     * @param addGenerationPrompt whether to end with the header that opens the assistant's reply
     * @return the prompt text
     */
    default String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return prompt(messages, addGenerationPrompt).text();
    }

    /**
     * Renders a conversation, keeping apart the template's text and the messages' text.
     *
     * @param messages the messages in order
     * @param addGenerationPrompt whether to end with the header that opens the assistant's reply
     * @return the prompt, to encode with {@link ChatPrompt#encode}
     */
    ChatPrompt prompt(List<ChatMessage> messages, boolean addGenerationPrompt);

    /**
     * Returns the special tokens that close a turn; generation should stop at any of them.
     *
     * @return the token texts, for {@link TextTokenizer#idOf(String)}
     */
    List<String> endOfTurnTokens();
}
