package io.djlint4.server;

/** Why a submitted generation ended without a result. */
public final class GenerationFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The kinds of early end. */
    public enum Kind {
        /** {@link GenerationHandle#cancel()} was called (a client went away). */
        CANCELLED,
        /** The request ran past the scheduler's request timeout. */
        TIMEOUT,
        /** The model or the sampler failed on this sequence. */
        INTERNAL
    }

    private final Kind kind;

    /**
     * Creates a failure.
     *
     * @param kind the kind
     * @param message what happened
     * @param cause the exception behind it, or {@code null}
     */
    public GenerationFailure(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /**
     * Returns the kind of failure.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }
}
