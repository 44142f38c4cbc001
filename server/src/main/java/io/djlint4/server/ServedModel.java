package io.djlint4.server;

import io.djlint4.model.DecoderModel;
import io.djlint4.tokenizer.ChatTemplate;
import io.djlint4.tokenizer.TextTokenizer;
import java.util.Objects;

/**
 * A model as the server offers it: its decoder, tokenizer and chat template, and the ids that end
 * a reply.
 *
 * @param name the id clients name in {@code model} and {@code GET /v1/models} lists
 * @param decoder the decoder
 * @param tokenizer the tokenizer
 * @param chatTemplate renders {@code /v1/chat/completions} messages, or {@code null} when the model
 *     has none (that endpoint then answers 400)
 * @param eosIds token ids that end generation (EOS and end-of-turn)
 */
public record ServedModel(
        String name, DecoderModel decoder, TextTokenizer tokenizer, ChatTemplate chatTemplate, int[] eosIds) {

    /** Checks the parts and copies the ids. */
    public ServedModel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(decoder, "decoder");
        Objects.requireNonNull(tokenizer, "tokenizer");
        if (name.isBlank()) {
            throw new IllegalArgumentException("the model name is blank");
        }
        eosIds = eosIds.clone();
    }

    @Override
    public int[] eosIds() {
        return eosIds.clone();
    }
}
