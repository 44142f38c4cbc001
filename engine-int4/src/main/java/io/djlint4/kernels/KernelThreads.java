package io.djlint4.kernels;

/**
 * The threads every multi-threaded kernel splits its output over: a {@link WorkerTeam} whose size
 * is set by the {@code int4.threads} system property (default: all available processors), the
 * calling thread included.
 */
public final class KernelThreads {

    /** System property naming the number of kernel threads. */
    public static final String THREADS_PROPERTY = "int4.threads";

    /** More threads than this never help and can exhaust memory, so they are refused. */
    private static final int HARD_LIMIT = 1024;

    private static volatile WorkerTeam team = new WorkerTeam(defaultThreads());

    private KernelThreads() {}

    private static int defaultThreads() {
        int cores = Runtime.getRuntime().availableProcessors();
        return Math.min(maxThreads(), Math.max(1, Integer.getInteger(THREADS_PROPERTY, cores)));
    }

    /**
     * Returns the most threads accepted: four per available processor, at most 1024.
     *
     * @return the limit of {@link #setThreads}
     */
    public static int maxThreads() {
        return (int) Math.min(HARD_LIMIT, 4L * Runtime.getRuntime().availableProcessors());
    }

    /**
     * Returns the number of threads kernels use.
     *
     * @return the threads that share a loop, the caller included
     */
    public static int threads() {
        return team.threads();
    }

    /**
     * Replaces the team with one of the given size; work already running finishes on the old team.
     *
     * @param threads the number of threads, from 1 to {@link #maxThreads()}
     * @throws IllegalArgumentException outside that range
     */
    public static synchronized void setThreads(int threads) {
        if (threads < 1 || threads > maxThreads()) {
            throw new IllegalArgumentException("threads must be between 1 and " + maxThreads()
                    + " (4 per processor, at most " + HARD_LIMIT + "), got " + threads);
        }
        if (threads != team.threads()) {
            WorkerTeam old = team;
            team = new WorkerTeam(threads);
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
     * shared by the team's threads; runs inline when one chunk covers everything, there is one
     * thread, or the team is busy with another loop (including the one this call is part of).
     *
     * @param n the number of indices
     * @param grain the smallest chunk worth a thread of its own
     * @param task the work
     */
    public static void parallelFor(int n, int grain, RangeTask task) {
        team.run(n, grain, task);
    }
}
