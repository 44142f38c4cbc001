package io.djlint4.spark;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;

/**
 * Reads a prompt cell: a string as it is, or bytes (a line of the input file) as strict UTF-8, so
 * that a line with invalid bytes is that row's error instead of text with replacement characters.
 */
final class PromptText {

    private PromptText() {}

    /**
     * Decodes a prompt.
     *
     * @param cell a {@link String} or {@code byte[]}
     * @return the prompt text
     * @throws IllegalArgumentException when the cell is null, of another type, or not UTF-8
     */
    static String decode(Object cell) {
        if (cell instanceof String) {
            return (String) cell;
        }
        if (cell == null) {
            throw new IllegalArgumentException("the prompt is null");
        }
        if (!(cell instanceof byte[])) {
            throw new IllegalArgumentException("the prompt column holds " + cell.getClass().getSimpleName()
                    + ", not a string or binary");
        }
        byte[] bytes = (byte[]) cell;
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            CharBuffer text = decoder.decode(in);
            return text.toString();
        } catch (MalformedInputException e) {
            throw new IllegalArgumentException("the prompt is not UTF-8 text (invalid byte at offset " + in.position() + ")", e);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the prompt is not UTF-8 text: " + e.getMessage(), e);
        }
    }
}
