package io.djlint4.kernels;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of threads that runs one parallel loop at a time with the calling thread taking a
 * share. Decoding calls hundreds of small products per token, each worth tens of microseconds; a
 * {@link java.util.concurrent.ForkJoinPool} spends about as long waking its parked workers and
 * parking the caller (measured at 896×896, one token: 24 µs on one thread, 74–98 µs on a
 * two-thread pool). Here workers spin for a short while after each loop, so back-to-back loops
 * start at once, and park only when the team has been idle for {@value #SPIN_NANOS} ns.
 *
 * <p>One loop runs at a time: a loop started while another runs (another caller thread, or a
 * task that itself calls {@link #run}) runs inline on its caller.
 */
final class WorkerTeam {

    /** How long an idle worker spins before it parks. */
    private static final long SPIN_NANOS = 200_000;

    /** Chunks per thread: a few balance uneven progress without much scheduling. */
    private static final int CHUNKS_PER_THREAD = 4;

    private final Worker[] workers;
    /** Held for the whole of a loop; not reentrant, so a loop started inside one sees it taken. */
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicInteger nextChunk = new AtomicInteger();
    private final AtomicInteger busyWorkers = new AtomicInteger();

    /** Bumped to publish a loop; the fields below are written before it, read after it. */
    private volatile long generation;

    private KernelThreads.RangeTask task;
    private int size;
    private int chunkSize;
    private int chunks;
    private volatile Throwable failure;
    private volatile boolean shutdown;

    /**
     * Starts {@code threads − 1} daemon workers.
     *
     * @param threads the threads that share a loop, the caller included
     */
    WorkerTeam(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker("int4-kernel-" + (i + 1));
            workers[i].start();
        }
    }

    /**
     * Returns the number of threads that share a loop.
     *
     * @return workers plus the caller
     */
    int threads() {
        return workers.length + 1;
    }

    /**
     * Runs {@code task} over {@code [0, n)} in chunks of at least {@code grain} indices and returns
     * when all of them are done; an exception thrown by the task is rethrown here.
     *
     * @param n the number of indices
     * @param grain the smallest chunk worth handing to another thread
     * @param task the work
     */
    void run(int n, int grain, KernelThreads.RangeTask task) {
        if (n <= 0) {
            return;
        }
        if (workers.length == 0 || n <= grain || !running.compareAndSet(false, true)) {
            task.run(0, n);
            return;
        }
        try {
            int count = Math.min(threads() * CHUNKS_PER_THREAD, (n + grain - 1) / grain);
            this.task = task;
            this.size = n;
            this.chunkSize = (n + count - 1) / count;
            this.chunks = (n + chunkSize - 1) / chunkSize;
            this.failure = null;
            nextChunk.set(0);
            busyWorkers.set(workers.length);
            generation++;
            for (Worker w : workers) {
                if (w.parked) {
                    LockSupport.unpark(w);
                }
            }
            try {
                work();
            } finally {
                awaitWorkers();
            }
            Throwable t = failure;
            if (t instanceof RuntimeException) {
                throw (RuntimeException) t;
            }
            if (t instanceof Error) {
                throw (Error) t;
            }
            if (t != null) {
                throw new IllegalStateException("kernel task failed", t);
            }
        } finally {
            this.task = null;
            running.set(false);
        }
    }

    /** Spins until every worker is done with the loop, yielding the core once that takes long. */
    private void awaitWorkers() {
        long start = System.nanoTime();
        while (busyWorkers.get() != 0) {
            if (System.nanoTime() - start < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /** Takes chunks of the current loop until none is left. */
    private void work() {
        for (int c = nextChunk.getAndIncrement(); c < chunks; c = nextChunk.getAndIncrement()) {
            int from = c * chunkSize;
            task.run(from, Math.min(size, from + chunkSize));
        }
    }

    /** Stops the workers once they finish what they run; the team must not be used afterwards. */
    void shutdown() {
        shutdown = true;
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
    }

    private final class Worker extends Thread {

        /** Set while parked (or about to park), so a new loop knows to unpark it. */
        volatile boolean parked;

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        @Override
        public void run() {
            // Not read from the field: a loop may already be published when this thread starts.
            long seen = 0;
            long idleSince = System.nanoTime();
            while (!shutdown) {
                long g = generation;
                if (g != seen) {
                    seen = g;
                    try {
                        work();
                    } catch (Throwable t) {
                        failure = t;
                    } finally {
                        busyWorkers.decrementAndGet();
                    }
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    parked = true;
                    // Checked again after announcing: a loop published in between unparks us or
                    // is seen here.
                    if (generation == seen && !shutdown) {
                        LockSupport.park(this);
                    }
                    parked = false;
                    idleSince = System.nanoTime();
                }
            }
        }
    }
}
