package io.djlint4.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns generated token ids into text one id at a time. A character whose UTF-8 bytes arrive in
 * several byte tokens is held back until it is complete, so no U+FFFD appears in the middle of the
 * stream. Not thread-safe: use one decoder per generated sequence.
 */
public final class StreamingDecoder {

    private final TextTokenizer tokenizer;
    private byte[] pending = new byte[16];
    private int pendingLength;
    private int previousId;

    /**
     * Creates a decoder for a sequence that starts now.
     *
     * @param tokenizer the tokenizer whose ids will be fed in
     */
    public StreamingDecoder(TextTokenizer tokenizer) {
        this(tokenizer, TextTokenizer.NO_TOKEN);
    }

    /**
     * Creates a decoder for ids that continue a sequence, such as the tokens generated after a
     * prompt: the id before the first one decides whether its leading space is kept.
     *
     * @param tokenizer the tokenizer whose ids will be fed in
     * @param previousId the last id already in the sequence, or {@link TextTokenizer#NO_TOKEN}
     */
    public StreamingDecoder(TextTokenizer tokenizer, int previousId) {
        this.tokenizer = tokenizer;
        this.previousId = previousId;
    }

    /**
     * Adds the next id and returns the text that is now complete.
     *
     * @param id the next token id
     * @return new text, possibly empty
     */
    public String append(int id) {
        byte[] piece = tokenizer.pieceBytes(previousId, id);
        previousId = id;
        if (pendingLength + piece.length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + piece.length));
        }
        System.arraycopy(piece, 0, pending, pendingLength, piece.length);
        pendingLength += piece.length;
        int complete = completePrefixLength();
        String text = new String(pending, 0, complete, StandardCharsets.UTF_8);
        System.arraycopy(pending, complete, pending, 0, pendingLength - complete);
        pendingLength -= complete;
        return text;
    }

    /**
     * Returns whatever is still held back (an incomplete character becomes U+FFFD) and empties the
     * buffer. Call it when generation ends.
     *
     * @return the remaining text, usually empty
     */
    public String flush() {
        String text = new String(pending, 0, pendingLength, StandardCharsets.UTF_8);
        pendingLength = 0;
        return text;
    }

    /**
     * Length of the longest prefix that does not end inside a multi-byte character: only a valid
     * lead byte followed by fewer continuation bytes than it announces is held back.
     */
    private int completePrefixLength() {
        for (int back = 1; back <= Math.min(3, pendingLength); back++) {
            int b = pending[pendingLength - back] & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue;
            }
            return sequenceLength(b) > back ? pendingLength - back : pendingLength;
        }
        return pendingLength;
    }

    private static int sequenceLength(int leadByte) {
        if (leadByte >= 0xC2 && leadByte <= 0xDF) {
            return 2;
        }
        if (leadByte >= 0xE0 && leadByte <= 0xEF) {
            return 3;
        }
        if (leadByte >= 0xF0 && leadByte <= 0xF4) {
            return 4;
        }
        return 1;
    }
}
