package io.djlint4.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the text files {@code eval} and {@code stats} score. */
public final class TextFiles {

    private TextFiles() {}

    /**
     * Reads a UTF-8 text file, refusing any other bytes: scoring a checkpoint given by mistake
     * would print a meaningless perplexity.
     *
     * @param file the file
     * @return its text
     * @throws CliFailure naming the file when it cannot be read or is not UTF-8 text
     */
    public static String read(Path file) {
        if (Files.isDirectory(file)) {
            throw new CliFailure("cannot read text file " + file + ": it is a directory");
        }
        try {
            return decode(file, Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new CliFailure("cannot read text file " + file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new CliFailure("cannot read text file " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new CliFailure("cannot read text file " + file + ": " + e.getMessage(), e);
        }
    }

    private static String decode(Path file, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw new CliFailure("cannot read text file " + file + ": it is not UTF-8 text (invalid byte at offset "
                    + in.position() + ")");
        }
        decoder.flush(out);
        return out.flip().toString();
    }
}
