package io.djlint4.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/**
 * Converts between text and token ids for one model vocabulary. Implementations are immutable and
 * safe to share between threads.
 */
public interface TextTokenizer {

    /** Marks "no token", for example the previous token at the start of a sequence. */
    int NO_TOKEN = -1;

    /**
     * Encodes text, recognising special tokens written in the text (such as {@code <|im_start|>})
     * as single ids, as Hugging Face tokenizers and llama.cpp do by default.
     *
     * @param text the text to encode
     * @param addBos whether to put the beginning-of-sequence id first (ignored when the vocabulary
     *     has none)
     * @return the token ids
     */
    default int[] encode(String text, boolean addBos) {
        return encode(text, addBos, true);
    }

    /**
     * Encodes text.
     *
     * @param text the text to encode
     * @param addBos whether to put the beginning-of-sequence id first (ignored when the vocabulary
     *     has none)
     * @param parseSpecial whether special (control) tokens written in the text become single ids;
     *     when {@code false} they are tokenized as ordinary text, which is what untrusted user
     *     content should get
     * @return the token ids
     */
    int[] encode(String text, boolean addBos, boolean parseSpecial);

    /**
     * Decodes ids to user-facing text: special tokens are skipped, byte tokens are reassembled into
     * UTF-8, and invalid UTF-8 becomes U+FFFD. Ids outside the vocabulary contribute nothing.
     *
     * @param ids the token ids
     * @return the text
     */
    default String decode(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int previous = NO_TOKEN;
        for (int id : ids) {
            out.writeBytes(pieceBytes(previous, id));
            previous = id;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Returns the bytes one token contributes to decoded text, without context. Special tokens and
     * ids outside the vocabulary give an empty array. A byte token gives its single byte, which may
     * be part of a multi-byte UTF-8 character.
     *
     * @param id the token id
     * @return the UTF-8 bytes (a fresh array)
     */
    byte[] tokenBytes(int id);

    /**
     * Returns the bytes a token contributes to decoded text when it follows {@code previousId}.
     * SentencePiece-style vocabularies drop the leading space of the first word here; others return
     * {@link #tokenBytes(int)}.
     *
     * @param previousId the id before it, or {@link #NO_TOKEN} at the start of the sequence
     * @param id the token id
     * @return the UTF-8 bytes (a fresh array)
     */
    default byte[] pieceBytes(int previousId, int id) {
        return tokenBytes(id);
    }

    /**
     * Returns the text of one token as it appears in decoded output. A byte token that is part of a
     * multi-byte character gives U+FFFD here; use {@link StreamingDecoder} for streamed output.
     *
     * @param id the token id
     * @return the token's text, empty for special tokens
     */
    default String tokenText(int id) {
        return new String(tokenBytes(id), StandardCharsets.UTF_8);
    }

    /**
     * Returns the beginning-of-sequence id.
     *
     * @return the id, or {@link #NO_TOKEN} when the vocabulary has none
     */
    int bosId();

    /**
     * Returns the ids that end generation (end of sequence, end of turn).
     *
     * @return the ids (a fresh array, possibly empty)
     */
    int[] eosIds();

    /**
     * Tells whether the model expects a beginning-of-sequence id in front of every prompt.
     *
     * @return {@code true} when callers should encode prompts with {@code addBos = true}
     */
    boolean addBosByDefault();

    /**
     * Returns the number of ids this tokenizer knows: one more than the largest id.
     *
     * @return the vocabulary size
     */
    int vocabSize();

    /**
     * Looks up a token by its exact text as the vocabulary stores it, for example {@code
     * "<|im_end|>"}, {@code "<s>"} or, in a byte-level vocabulary, {@code "Ġthe"}.
     *
     * @param token the token text
     * @return the id, or empty when the vocabulary has no such token
     */
    OptionalInt idOf(String token);

    /**
     * Tells whether an id is a special (control) token, which {@link #decode(int[])} skips.
     *
     * @param id the token id
     * @return {@code true} for special tokens
     */
    boolean isSpecial(int id);
}
