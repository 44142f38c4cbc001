package io.djlint4.eval;

import io.djlint4.model.DecoderModel;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.LogSoftmax;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Scores a model on token windows: the negative log-likelihood of every scored token and, against
 * a reference (normally the full-precision model, run live, held in memory as {@link
 * ReferenceLogits} or saved as {@link SavedLogProbs}), the KL divergence of the next-token
 * distributions, its percentiles, and the agreement of their most likely tokens.
 */
public final class TextEvaluator {

    private final DecoderModel model;
    private final DecoderModel reference;
    private final BaseDistributions precomputed;

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
     * Creates an evaluator that compares against precomputed base distributions; {@link
     * #evaluate} must then be given their windows.
     *
     * @param model the model to score
     * @param reference the base distributions
     */
    public TextEvaluator(DecoderModel model, BaseDistributions reference) {
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
     * Scores every position of the windows.
     *
     * @param windows token windows, each scored independently from an empty cache
     * @param progress receives the number of windows done after each one
     * @return the report
     * @throws IllegalArgumentException when the windows are not those of the precomputed reference
     */
    public EvalReport evaluate(List<long[]> windows, IntConsumer progress) {
        return evaluate(ScoredWindows.all(windows), progress);
    }

    /**
     * Scores the scored positions of the windows.
     *
     * @param windows the scored windows, each run from an empty cache
     * @param progress receives the number of windows done after each one
     * @return the report
     * @throws IllegalArgumentException when the windows are not those of the precomputed reference
     */
    public EvalReport evaluate(ScoredWindows windows, IntConsumer progress) {
        return evaluate(windows, progress, logits -> {});
    }

    /**
     * Scores the scored positions of the windows, handing each window's logits on (to save them
     * as the base of later comparisons without a second pass).
     *
     * @param windows the scored windows, each run from an empty cache
     * @param progress receives the number of windows done after each one
     * @param logitsSink receives the model's {@code [positions, vocabulary]} logits of each window,
     *     in order
     * @return the report
     * @throws IllegalArgumentException when the windows are not those of the precomputed reference
     */
    public EvalReport evaluate(ScoredWindows windows, IntConsumer progress, Consumer<float[]> logitsSink) {
        if (precomputed != null && !windows.sameAs(precomputed.windows())) {
            throw new IllegalArgumentException("the windows differ from those the reference logits were computed on");
        }
        int vocab = model.config().vocabSize();
        boolean compares = reference != null || precomputed != null;
        double[] kls = compares ? new double[Math.toIntExact(windows.scoredTokens())] : null;
        double nll = 0;
        double referenceNll = 0;
        double kl = 0;
        long agree = 0;
        int tokens = 0;
        int first = windows.firstScored();
        for (int wi = 0; wi < windows.windows().size(); wi++) {
            long[] w = windows.windows().get(wi);
            float[] logits = model.forward(ForwardRequest.of(w, true)).logits();
            logitsSink.accept(logits);
            LogProbRows base = referenceRows(wi, windows);
            for (int r = 0; r < windows.scored(wi); r++) {
                int p = first + r;
                int off = p * vocab;
                int target = (int) w[p + 1];
                nll -= LogSoftmax.logProbability(logits, off, vocab, target);
                if (base != null) {
                    referenceNll -= base.logProbability(r, target);
                    double d = base.klDivergence(r, logits, off);
                    kls[tokens] = d;
                    kl += d;
                    if (base.argMax(r) == argMax(logits, off, vocab)) {
                        agree++;
                    }
                }
                tokens++;
            }
            progress.accept(wi + 1);
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
                windows.windows().size(),
                compares ? referenceNll / tokens : meanNll,
                compares ? KlStatistics.of(kls) : null);
    }

    private LogProbRows referenceRows(int index, ScoredWindows windows) {
        if (precomputed != null) {
            return precomputed.window(index);
        }
        if (reference == null) {
            return null;
        }
        float[] logits = reference.forward(ForwardRequest.of(windows.windows().get(index), true)).logits();
        return LogProbRows.fromLogits(logits, windows.firstScored(), windows.scored(index), reference.config().vocabSize());
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
