package io.djlint4.eval;

import io.djlint4.model.DecoderModel;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.LogSoftmax;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Scores a model on token windows: the negative log-likelihood of every predicted token and,
 * against a reference (normally the full-precision model, run live or precomputed as {@link
 * ReferenceLogits}), the KL divergence of the next-token distributions and the agreement of their
 * most likely tokens.
 */
public final class TextEvaluator {

    private final DecoderModel model;
    private final DecoderModel reference;
    private final ReferenceLogits precomputed;

    /**
     * Creates an evaluator that runs the reference model beside the model.
     *
     * @param model the model to score
     * @param reference the model to compare against, or {@code null} (or the same instance) for
     *     perplexity only
     */
    public TextEvaluator(DecoderModel model, DecoderModel reference) {
        this.model = model;
        this.reference = reference == model ? null : reference;
        this.precomputed = null;
        if (this.reference != null) {
            requireSameVocabulary(this.reference.config().vocabSize());
        }
    }

    /**
     * Creates an evaluator that compares against precomputed reference logits; {@link
     * #evaluate} must then be given the same windows.
     *
     * @param model the model to score
     * @param reference the reference logits
     */
    public TextEvaluator(DecoderModel model, ReferenceLogits reference) {
        this.model = model;
        this.reference = null;
        this.precomputed = reference;
        requireSameVocabulary(reference.vocabSize());
    }

    private void requireSameVocabulary(int referenceVocab) {
        if (referenceVocab != model.config().vocabSize()) {
            throw new IllegalArgumentException(
                    "the reference model's vocabulary (" + referenceVocab + ") differs from the model's ("
                            + model.config().vocabSize() + ")");
        }
    }

    /**
     * Scores the windows.
     *
     * @param windows token windows, each scored independently from an empty cache
     * @param progress receives the number of windows done after each one
     * @return the report
     * @throws IllegalArgumentException when the windows are not those of the precomputed reference
     */
    public EvalReport evaluate(List<long[]> windows, IntConsumer progress) {
        if (precomputed != null && !sameWindows(windows, precomputed.windows())) {
            throw new IllegalArgumentException("the windows differ from those the reference logits were computed on");
        }
        int vocab = model.config().vocabSize();
        double nll = 0;
        double kl = 0;
        long agree = 0;
        long tokens = 0;
        int done = 0;
        boolean compares = reference != null || precomputed != null;
        for (long[] w : windows) {
            float[] logits = model.forward(ForwardRequest.of(w, true)).logits();
            float[] refLogits = referenceLogits(done, w);
            for (int p = 0; p + 1 < w.length; p++) {
                int off = p * vocab;
                nll -= LogSoftmax.logProbability(logits, off, vocab, (int) w[p + 1]);
                if (refLogits != null) {
                    kl += klDivergence(refLogits, logits, off, vocab);
                    if (argMax(refLogits, off, vocab) == argMax(logits, off, vocab)) {
                        agree++;
                    }
                }
                tokens++;
            }
            progress.accept(++done);
        }
        if (tokens == 0) {
            throw new IllegalArgumentException("no tokens to score: the text is shorter than one window");
        }
        double meanNll = nll / tokens;
        return new EvalReport(
                Math.exp(meanNll),
                meanNll,
                compares ? kl / tokens : 0,
                compares ? (double) agree / tokens : 1,
                tokens,
                done);
    }

    private static boolean sameWindows(List<long[]> a, List<long[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private float[] referenceLogits(int index, long[] window) {
        if (precomputed != null) {
            return precomputed.window(index);
        }
        return reference == null ? null : reference.forward(ForwardRequest.of(window, true)).logits();
    }

    /** {@code KL(P || Q)} for one row of logits of each, in double precision. */
    static double klDivergence(float[] p, float[] q, int off, int n) {
        double lseP = LogSoftmax.logSumExp(p, off, n);
        double lseQ = LogSoftmax.logSumExp(q, off, n);
        double kl = 0;
        for (int i = 0; i < n; i++) {
            double logP = p[off + i] - lseP;
            double logQ = q[off + i] - lseQ;
            kl += Math.exp(logP) * (logP - logQ);
        }
        return Math.max(0, kl);
    }

    private static int argMax(float[] a, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (a[off + i] > a[off + best]) {
                best = i;
            }
        }
        return best;
    }
}
