package io.djlint4.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * The worker pool every multi-threaded kernel splits its output over. The JDK's common pool has
 * one thread fewer than there are cores, so kernels use a pool of their own whose size is set by
 * the {@code int4.threads} system property (default: all available processors).
 */
public final class KernelThreads {

    /** System property naming the number of kernel threads. */
    public static final String THREADS_PROPERTY = "int4.threads";

    private static volatile ForkJoinPool pool = newPool(defaultThreads());

    private KernelThreads() {}

    private static int defaultThreads() {
        int cores = Runtime.getRuntime().availableProcessors();
        return Math.max(1, Integer.getInteger(THREADS_PROPERTY, cores));
    }

    private static ForkJoinPool newPool(int threads) {
        return new ForkJoinPool(threads);
    }

    /**
     * Returns the number of threads kernels use.
     *
     * @return the pool's parallelism
     */
    public static int threads() {
        return pool.getParallelism();
    }

    /**
     * Replaces the pool with one of the given size; work already running finishes on the old pool.
     *
     * @param threads the number of threads, at least 1
     */
    public static synchronized void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (threads != pool.getParallelism()) {
            ForkJoinPool old = pool;
            pool = newPool(threads);
            old.shutdown();
        }
    }

    /** A body of work over a half-open index range. */
    @FunctionalInterface
    public interface RangeTask {
        /**
         * Runs the work for indices {@code [from, to)}.
         *
         * @param from the first index
         * @param to one past the last index
         */
        void run(int from, int to);
    }

    /**
     * Runs {@code task} over {@code [0, n)}, split into chunks of at least {@code grain} indices
     * spread over the pool; runs inline when one chunk covers everything or there is one thread.
     *
     * @param n the number of indices
     * @param grain the smallest chunk worth a task of its own
     * @param task the work
     */
    public static void parallelFor(int n, int grain, RangeTask task) {
        ForkJoinPool p = pool;
        int threads = p.getParallelism();
        if (n <= 0) {
            return;
        }
        if (threads == 1 || n <= grain || ForkJoinTask.getPool() == p) {
            task.run(0, n);
            return;
        }
        // A few chunks per thread balance uneven progress without much scheduling overhead.
        int chunks = Math.min(threads * 4, (n + grain - 1) / grain);
        p.invoke(new Chunk(task, 0, n, Math.max(grain, (n + chunks - 1) / chunks)));
    }

    private static final class Chunk extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final transient RangeTask task;
        private final int from;
        private final int to;
        private final int grain;

        Chunk(RangeTask task, int from, int to, int grain) {
            this.task = task;
            this.from = from;
            this.to = to;
            this.grain = grain;
        }

        @Override
        protected void compute() {
            if (to - from <= grain) {
                task.run(from, to);
                return;
            }
            int mid = from + (to - from) / 2;
            invokeAll(new Chunk(task, from, mid, grain), new Chunk(task, mid, to, grain));
        }
    }
}
