package io.djlint4.bench;

import io.djlint4.model.DecoderModel;
import io.djlint4.model.SequenceKvCache;
import io.djlint4.model.SequenceStep;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Times a prompt prefill followed by cached single-token decoding, the two phases of text
 * generation, for one sequence or for several decoded together (as a server batches its streams:
 * each step one forward pass over one new token of every sequence, like llama.cpp's
 * {@code llama-batched-bench}). Token ids are drawn at random: speed does not depend on which
 * tokens are run.
 */
public final class GenerationBenchmark {

    private final DecoderModel model;

    /**
     * Creates the benchmark.
     *
     * @param model the model to time
     */
    public GenerationBenchmark(DecoderModel model) {
        this.model = model;
    }

    /**
     * Runs one warm-up round and then {@code rounds} measured rounds, reporting the best round of
     * each phase (the least disturbed by other work on the machine).
     *
     * @param promptTokens the prompt length; 0 decodes from an empty cache, as llama-bench's
     *     {@code tg} test does, and reports a prefill rate of 0
     * @param genTokens the number of tokens decoded after the prompt
     * @param rounds the number of measured rounds, at least 1
     * @return throughput and peak heap
     */
    public BenchReport run(int promptTokens, int genTokens, int rounds) {
        return run(promptTokens, genTokens, rounds, 1);
    }

    /**
     * Like {@link #run(int, int, int)} with {@code batch} sequences, each with its own prompt and
     * cache: the prompts are read in one forward pass, then every step decodes one token of each
     * sequence in one pass. Rates count the tokens of all sequences.
     *
     * @param promptTokens the prompt length of each sequence; 0 decodes from empty caches
     * @param genTokens the number of tokens decoded per sequence
     * @param rounds the number of measured rounds, at least 1
     * @param batch the number of sequences, at least 1
     * @return aggregate throughput and peak heap
     */
    public BenchReport run(int promptTokens, int genTokens, int rounds, int batch) {
        if (promptTokens < 0 || genTokens < 1 || rounds < 1 || batch < 1) {
            throw new IllegalArgumentException(
                    "generated tokens, rounds and batch must be positive, prompt tokens at least 0");
        }
        int limit = model.config().maxPositionEmbeddings();
        if (promptTokens + genTokens > limit) {
            throw new IllegalArgumentException(
                    "prompt + generated tokens ("
                            + (promptTokens + genTokens)
                            + ") exceed the model's context of "
                            + limit);
        }
        SplittableRandom rnd = new SplittableRandom(1);
        long[][] prompts = new long[batch][];
        for (int b = 0; b < batch; b++) {
            prompts[b] = rnd.longs(promptTokens, 0, model.config().vocabSize()).toArray();
        }
        resetPeaks();
        round(prompts, genTokens, rnd);
        double bestPrefill = Double.MAX_VALUE;
        double bestDecode = Double.MAX_VALUE;
        for (int r = 0; r < rounds; r++) {
            double[] t = round(prompts, genTokens, rnd);
            bestPrefill = Math.min(bestPrefill, t[0]);
            bestDecode = Math.min(bestDecode, t[1]);
        }
        return new BenchReport(
                promptTokens,
                genTokens,
                promptTokens == 0 ? 0 : (double) promptTokens * batch / bestPrefill,
                (double) genTokens * batch / bestDecode,
                peakHeapBytes());
    }

    /** Returns {prefill seconds, decode seconds}. */
    private double[] round(long[][] prompts, int genTokens, SplittableRandom rnd) {
        long t0 = System.nanoTime();
        List<SequenceKvCache> caches = new ArrayList<>();
        List<SequenceStep> prefill = new ArrayList<>();
        for (long[] prompt : prompts) {
            SequenceKvCache cache = SequenceKvCache.forModel(model.config());
            caches.add(cache);
            if (prompt.length > 0) {
                prefill.add(new SequenceStep(cache, prompt));
            }
        }
        if (!prefill.isEmpty()) {
            model.forward(prefill);
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < genTokens; i++) {
            List<SequenceStep> step = new ArrayList<>(caches.size());
            for (SequenceKvCache cache : caches) {
                step.add(new SequenceStep(cache, new long[] {rnd.nextInt(model.config().vocabSize())}));
            }
            model.forward(step);
        }
        long t2 = System.nanoTime();
        return new double[] {(t1 - t0) / 1e9, (t2 - t1) / 1e9};
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** The sum of heap pools' peaks: an upper bound of the live heap the run needed. */
    private static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
