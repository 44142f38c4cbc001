package io.djlint4.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint file is malformed or disagrees with its configuration. The message always names the
 * file and, where there is one, the tensor or metadata field at fault, with control characters
 * escaped (names come from the file).
 */
public class CheckpointFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String culprit;

    /**
     * Creates an exception about a file as a whole.
     *
     * @param file the file at fault
     * @param message what is wrong
     */
    public CheckpointFormatException(Path file, String message) {
        this(file, null, message, null);
    }

    /**
     * Creates an exception about one tensor or field of a file.
     *
     * @param file the file at fault
     * @param culprit the tensor or field name, or {@code null}
     * @param message what is wrong
     */
    public CheckpointFormatException(Path file, String culprit, String message) {
        this(file, culprit, message, null);
    }

    /**
     * Creates an exception about one tensor or field of a file, with a cause.
     *
     * @param file the file at fault
     * @param culprit the tensor or field name, or {@code null}
     * @param message what is wrong
     * @param cause the underlying error, or {@code null}
     */
    public CheckpointFormatException(Path file, String culprit, String message, Throwable cause) {
        super(format(file, culprit, message), cause);
        this.file = file;
        this.culprit = culprit;
    }

    private static String format(Path file, String culprit, String message) {
        StringBuilder sb = new StringBuilder().append(file);
        if (culprit != null) {
            sb.append(": '").append(PrintableText.escape(culprit)).append('\'');
        }
        return sb.append(": ").append(PrintableText.escape(message)).toString();
    }

    /**
     * Returns the file at fault.
     *
     * @return the file
     */
    public Path getFile() {
        return file;
    }

    /**
     * Returns the tensor or field at fault.
     *
     * @return the name, or {@code null} when the file as a whole is at fault
     */
    public String getCulprit() {
        return culprit;
    }
}
