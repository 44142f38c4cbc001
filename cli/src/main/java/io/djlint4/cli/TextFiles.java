package io.djlint4.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the text files {@code eval} and {@code stats} score. */
final class TextFiles {

    private TextFiles() {}

    /**
     * Reads a UTF-8 text file; invalid bytes become U+FFFD rather than failing.
     *
     * @param file the file
     * @return its text
     * @throws CliFailure naming the file when it cannot be read
     */
    static String read(Path file) {
        if (Files.isDirectory(file)) {
            throw new CliFailure("cannot read text file " + file + ": it is a directory");
        }
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CliFailure("cannot read text file " + file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new CliFailure("cannot read text file " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new CliFailure("cannot read text file " + file + ": " + e.getMessage(), e);
        }
    }
}
