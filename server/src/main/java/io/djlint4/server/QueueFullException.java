package io.djlint4.server;

/** Thrown by {@link ContinuousBatcher#submit} when the waiting queue is full. */
public final class QueueFullException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param limit the queue's capacity
     */
    public QueueFullException(int limit) {
        super("the server is busy: " + limit + " requests are already waiting; retry later");
    }
}
