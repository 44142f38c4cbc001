package io.djlint4.eval;

import io.djlint4.model.DecoderModel;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.LogSoftmax;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Scores a model on token windows: the negative log-likelihood of every predicted token and,
 * against a reference model (normally the full-precision one), the KL divergence of the next-token
 * distributions and the agreement of their most likely tokens.
 */
public final class TextEvaluator {

    private final DecoderModel model;
    private final DecoderModel reference;

    /**
     * Creates an evaluator.
     *
     * @param model the model to score
     * @param reference the model to compare against, or {@code null} (or the same instance) for
     *     perplexity only
     */
    public TextEvaluator(DecoderModel model, DecoderModel reference) {
        this.model = model;
        this.reference = reference == model ? null : reference;
        if (this.reference != null
                && this.reference.config().vocabSize() != model.config().vocabSize()) {
            throw new IllegalArgumentException(
                    "the reference model's vocabulary ("
                            + this.reference.config().vocabSize()
                            + ") differs from the model's ("
                            + model.config().vocabSize()
                            + ")");
        }
    }

    /**
     * Scores the windows.
     *
     * @param windows token windows, each scored independently from an empty cache
     * @param progress receives the number of windows done after each one
     * @return the report
     */
    public EvalReport evaluate(List<long[]> windows, IntConsumer progress) {
        int vocab = model.config().vocabSize();
        double nll = 0;
        double kl = 0;
        long agree = 0;
        long tokens = 0;
        int done = 0;
        for (long[] w : windows) {
            float[] logits = model.forward(ForwardRequest.of(w, true)).logits();
            float[] refLogits =
                    reference == null ? null : reference.forward(ForwardRequest.of(w, true)).logits();
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
                reference == null ? 0 : kl / tokens,
                reference == null ? 1 : (double) agree / tokens,
                tokens,
                done);
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
