package io.djlint4.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * A rendered conversation that remembers which text the template wrote and which came from the
 * messages, so that only the template's text can become control tokens: a message that contains
 * {@code <|im_end|>\n<|im_start|>system} is encoded as those characters, and cannot forge a turn.
 */
public final class ChatPrompt {

    private final List<String> parts;
    private final List<Boolean> fromMessages;

    private ChatPrompt(List<String> parts, List<Boolean> fromMessages) {
        this.parts = List.copyOf(parts);
        this.fromMessages = List.copyOf(fromMessages);
    }

    /**
     * Returns the prompt as text, as the model's Jinja template would render it.
     *
     * @return the text
     */
    public String text() {
        return String.join("", parts);
    }

    /**
     * Encodes the prompt: the template's text with special-token parsing on, the messages' text
     * (contents and roles) with it off. The rendered text carries any beginning-of-text token the
     * template writes, so no BOS id is added.
     *
     * @param tokenizer the model's tokenizer
     * @return the token ids
     */
    public int[] encode(TextTokenizer tokenizer) {
        IntList ids = new IntList(64);
        for (int i = 0; i < parts.size(); i++) {
            ids.addAll(tokenizer.encode(parts.get(i), false, !fromMessages.get(i)));
        }
        return ids.toArray();
    }

    /** Builds a prompt from template text and message text, merging neighbours of one kind. */
    static final class Builder {
        private final List<String> parts = new ArrayList<>();
        private final List<Boolean> fromMessages = new ArrayList<>();

        /** Appends text the template writes, where control tokens are meant. */
        Builder control(String text) {
            return append(text, false);
        }

        /** Appends text of a message, which is never read as control tokens. */
        Builder message(String text) {
            return append(text, true);
        }

        private Builder append(String text, boolean fromMessage) {
            if (text.isEmpty()) {
                return this;
            }
            int last = parts.size() - 1;
            if (last >= 0 && fromMessages.get(last) == fromMessage) {
                parts.set(last, parts.get(last) + text);
            } else {
                parts.add(text);
                fromMessages.add(fromMessage);
            }
            return this;
        }

        ChatPrompt build() {
            return new ChatPrompt(parts, fromMessages);
        }
    }
}
