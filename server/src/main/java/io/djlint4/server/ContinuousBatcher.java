package io.djlint4.server;

import io.djlint4.generation.GenerationConfig;
import io.djlint4.generation.GenerationResult;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.SequenceStep;
import io.djlint4.tokenizer.TextTokenizer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs concurrent generations on one {@link DecoderModel} by iteration-level scheduling: each step
 * is one forward pass over every active sequence ({@link DecoderModel#forward(List)}, each over
 * its own cache), decoding one token for each; a waiting request joins the next step with its
 * prompt while there are fewer than {@code maxBatch} active sequences, and a finished, cancelled
 * or timed-out one leaves before the next step. Because the pass gives each sequence the logits
 * it gets alone and each sequence samples with its own seeded sampler, a request's output does not
 * depend on what else runs. One thread runs the steps; {@link #submit} may be called from any
 * thread.
 */
public final class ContinuousBatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ContinuousBatcher.class.getName());

    private final DecoderModel model;
    private final TextTokenizer tokenizer;
    private final int maxBatch;
    private final int maxQueue;
    private final long timeoutNanos;
    private final ServerMetrics metrics;
    private final Object lock = new Object();
    private final ArrayDeque<ActiveSequence> waiting = new ArrayDeque<>();
    private final List<ActiveSequence> running = new ArrayList<>();
    private final Thread thread;
    private boolean accepting = true;

    /**
     * Creates the scheduler and starts its thread.
     *
     * @param model the decoder
     * @param tokenizer decodes the generated ids
     * @param maxBatch the most sequences in one step
     * @param maxQueue the most requests waiting while every slot is taken; more are refused
     * @param requestTimeout how long a request may take from submission to its last token
     * @param metrics receives counts and timings
     */
    public ContinuousBatcher(
            DecoderModel model,
            TextTokenizer tokenizer,
            int maxBatch,
            int maxQueue,
            Duration requestTimeout,
            ServerMetrics metrics) {
        if (maxBatch < 1 || maxQueue < 0) {
            throw new IllegalArgumentException(
                    "max batch must be >= 1 and max queue >= 0, got " + maxBatch + " and " + maxQueue);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("the request timeout must be positive, got " + requestTimeout);
        }
        this.model = model;
        this.tokenizer = tokenizer;
        this.maxBatch = maxBatch;
        this.maxQueue = maxQueue;
        this.timeoutNanos = requestTimeout.toNanos();
        this.metrics = metrics;
        this.thread = new Thread(this::loop, "int4-batcher");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues a generation; it joins the batch at the next step with a free slot.
     *
     * @param promptIds the prompt ids, at least one
     * @param config the token limit, sampling and stop conditions
     * @param listener receives the text and the outcome, on the scheduler thread
     * @return a handle to cancel the generation
     * @throws QueueFullException when every slot is taken and {@code maxQueue} requests are already waiting
     * @throws IllegalStateException after {@link #close()}
     */
    public GenerationHandle submit(int[] promptIds, GenerationConfig config, GenerationListener listener)
            throws QueueFullException {
        ActiveSequence sequence =
                new ActiveSequence(promptIds, config, tokenizer, model.config(), listener, System.nanoTime());
        synchronized (lock) {
            if (!accepting) {
                throw new IllegalStateException("the server is shutting down");
            }
            if (running.size() + waiting.size() >= maxBatch + maxQueue) {
                throw new QueueFullException(maxQueue);
            }
            waiting.add(sequence);
            metrics.setQueueDepth(waiting.size());
            lock.notifyAll();
        }
        return sequence;
    }

    /**
     * Generates without streaming.
     *
     * @param promptIds the prompt ids
     * @param config the token limit, sampling and stop conditions
     * @return the result, or a future failed with a {@link GenerationFailure}
     * @throws QueueFullException when the queue is full
     */
    public CompletableFuture<GenerationResult> generate(int[] promptIds, GenerationConfig config)
            throws QueueFullException {
        CompletableFuture<GenerationResult> future = new CompletableFuture<>();
        GenerationHandle handle = submit(promptIds, config, new GenerationListener() {
            @Override
            public void onText(String text) {
                // the result carries the whole text
            }

            @Override
            public void onComplete(GenerationResult result) {
                future.complete(result);
            }

            @Override
            public void onFailure(GenerationFailure failure) {
                future.completeExceptionally(failure);
            }
        });
        future.whenComplete((r, e) -> {
            if (future.isCancelled()) {
                handle.cancel();
            }
        });
        return future;
    }

    /**
     * Returns the number of sequences in the batch plus those waiting.
     *
     * @return the requests in flight
     */
    public int inFlight() {
        synchronized (lock) {
            return running.size() + waiting.size();
        }
    }

    /**
     * Stops accepting requests and lets every queued and running one finish.
     *
     * @param timeout the longest to wait for them
     * @return whether all finished in time
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        synchronized (lock) {
            accepting = false;
            lock.notifyAll();
        }
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
    }

    /**
     * Stops accepting requests, waits for the running ones to finish and stops the thread; an
     * interrupt ends the wait early and stays set on the calling thread.
     */
    @Override
    public void close() {
        try {
            drain(Duration.ofDays(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        while (true) {
            synchronized (lock) {
                while (waiting.isEmpty() && running.isEmpty() && accepting) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (waiting.isEmpty() && running.isEmpty()) {
                    return;
                }
                while (running.size() < maxBatch && !waiting.isEmpty()) {
                    running.add(waiting.poll());
                }
                metrics.setQueueDepth(waiting.size());
            }
            step();
        }
    }

    /** One pass: drop what ended early, run the rest, hand out their tokens. */
    private void step() {
        long now = System.nanoTime();
        List<ActiveSequence> active = new ArrayList<>();
        for (ActiveSequence s : snapshot()) {
            if (s.isCancelled()) {
                leave(s, () -> s.listener().onFailure(
                        new GenerationFailure(GenerationFailure.Kind.CANCELLED, "the request was cancelled", null)));
            } else if (now - s.submittedNanos() > timeoutNanos) {
                leave(s, () -> s.listener().onFailure(new GenerationFailure(GenerationFailure.Kind.TIMEOUT,
                        "the request took longer than " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms", null)));
            } else {
                active.add(s);
            }
        }
        if (active.isEmpty()) {
            return;
        }
        List<SequenceStep> steps = new ArrayList<>(active.size());
        for (ActiveSequence s : active) {
            steps.add(s.nextStep());
        }
        float[] logits;
        try {
            logits = model.forward(steps);
        } catch (RuntimeException | OutOfMemoryError e) {
            LOG.log(Level.WARNING, "a forward pass over " + active.size() + " sequences failed", e);
            for (ActiveSequence s : active) {
                leave(s, () -> s.listener().onFailure(
                        new GenerationFailure(GenerationFailure.Kind.INTERNAL, "the model failed: " + e, e)));
            }
            return;
        }
        long end = System.nanoTime();
        metrics.recordStep(active.size(), end - now);
        int vocab = model.config().vocabSize();
        for (int i = 0; i < active.size(); i++) {
            ActiveSequence s = active.get(i);
            try {
                boolean first = s.isWaitingForPrefill();
                boolean finished = s.accept(logits, i * vocab, vocab, end);
                metrics.recordToken(first ? s.timeToFirstTokenNanos() : -1, first ? s.promptLength() : 0);
                if (finished) {
                    GenerationResult result = s.result(end);
                    leave(s, () -> s.listener().onComplete(result));
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a sequence failed after its forward pass", e);
                leave(s, () -> s.listener().onFailure(
                        new GenerationFailure(GenerationFailure.Kind.INTERNAL, "generation failed: " + e, e)));
            }
        }
    }

    private List<ActiveSequence> snapshot() {
        synchronized (lock) {
            return new ArrayList<>(running);
        }
    }

    /** Removes a sequence from the batch, then tells its listener (whose failure must not stop the loop). */
    private void leave(ActiveSequence s, Runnable notice) {
        synchronized (lock) {
            running.remove(s);
        }
        try {
            notice.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a generation listener failed", e);
        }
    }
}
