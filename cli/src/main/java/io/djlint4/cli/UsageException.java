package io.djlint4.cli;

/** The command line is malformed: an unknown or missing option, or a value of the wrong kind. */
public final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, as shown to the user
     */
    public UsageException(String message) {
        super(message);
    }
}
