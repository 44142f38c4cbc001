package io.djlint4.server;

import java.time.Duration;

/**
 * Counts completion responses not yet written to their sockets, so that a draining server closes
 * its connections only after the last chunk of every answer has been flushed (the scheduler
 * finishing a sequence only queues its final writes).
 */
final class OpenResponses {

    private int open;

    synchronized void opened() {
        open++;
    }

    synchronized void closed() {
        open--;
        if (open == 0) {
            notifyAll();
        }
    }

    /** Waits until every response has been written or the timeout has passed. */
    synchronized void awaitNone(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long left;
        while (open > 0 && (left = deadline - System.nanoTime()) > 0) {
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
