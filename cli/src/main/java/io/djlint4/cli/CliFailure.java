package io.djlint4.cli;

/** A well-formed command that cannot be carried out, with a message meant for the user. */
public final class CliFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the failure.
     *
     * @param message what went wrong, as shown to the user
     */
    public CliFailure(String message) {
        super(message);
    }

    /**
     * Creates the failure with its cause, shown with {@code --verbose}.
     *
     * @param message what went wrong, as shown to the user
     * @param cause the underlying error
     */
    public CliFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
