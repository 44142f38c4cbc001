package io.djlint4.server;

import java.time.Duration;

/**
 * How an {@link Int4Server} listens and schedules.
 *
 * @param host the address to bind, e.g. {@code 127.0.0.1}
 * @param port the port, 0 for any free one
 * @param maxBatch the most sequences decoded together in one step
 * @param maxQueue the most requests waiting while every slot is taken; more get 429
 * @param contextLength the most tokens (prompt plus completion) of one request
 * @param requestTimeout how long a request may run before it is cancelled
 */
public record ServerSettings(
        String host, int port, int maxBatch, int maxQueue, int contextLength, Duration requestTimeout) {

    /** Default {@code --max-batch}. */
    public static final int DEFAULT_MAX_BATCH = 16;
    /** Default {@code --max-queue}. */
    public static final int DEFAULT_MAX_QUEUE = 64;
    /** Default {@code --timeout}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    /** Checks the ranges. */
    public ServerSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
        }
        if (maxBatch < 1 || maxQueue < 0 || contextLength < 2) {
            throw new IllegalArgumentException("max batch must be >= 1, max queue >= 0 and context >= 2, got "
                    + maxBatch + ", " + maxQueue + ", " + contextLength);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("the request timeout must be positive, got " + requestTimeout);
        }
    }

    /**
     * Returns loopback settings on a free port with the default limits.
     *
     * @param contextLength the most tokens of one request
     * @return the settings
     */
    public static ServerSettings loopback(int contextLength) {
        return new ServerSettings("127.0.0.1", 0, DEFAULT_MAX_BATCH, DEFAULT_MAX_QUEUE, contextLength, DEFAULT_TIMEOUT);
    }
}
