package io.djlint4.cli;

import io.djlint4.checkpoint.PrintableText;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/** Turns an exception into the one line {@code int4} prints for it. */
public final class ErrorMessages {

    private ErrorMessages() {}

    /**
     * Describes a failure for the user.
     *
     * @param t the failure
     * @return a one-line message
     */
    public static String describe(Throwable t) {
        if (t instanceof NoSuchFileException) {
            NoSuchFileException e = (NoSuchFileException) t;
            return "no such file: " + e.getFile() + (e.getReason() == null ? "" : " (" + e.getReason() + ")");
        }
        if (t instanceof AccessDeniedException) {
            return "permission denied: " + ((AccessDeniedException) t).getFile();
        }
        if (t instanceof OutOfMemoryError) {
            return "out of memory; give the JVM more heap, e.g. JAVA_OPTS=-Xmx8g";
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName();
        }
        boolean expected = t instanceof java.io.IOException
                || t instanceof java.io.UncheckedIOException
                || t instanceof CliFailure
                || t instanceof UsageException
                || t instanceof IllegalArgumentException
                || t instanceof UnsupportedOperationException;
        String line = PrintableText.escape(message.lines().findFirst().orElse(message));
        return expected ? line : t.getClass().getSimpleName() + ": " + line;
    }
}
