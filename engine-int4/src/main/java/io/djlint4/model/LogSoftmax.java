package io.djlint4.model;

/** Numerically stable log-probabilities from logits, computed in double precision. */
public final class LogSoftmax {

    private LogSoftmax() {}

    /**
     * Returns {@code log softmax(logits)[target]} for one row of logits.
     *
     * @param logits the logits array
     * @param off offset of the row
     * @param n the row length (vocabulary size)
     * @param target the token whose log-probability is wanted
     * @return the log-probability
     */
    public static double logProbability(float[] logits, int off, int n, int target) {
        return logits[off + target] - logSumExp(logits, off, n);
    }

    /**
     * Returns {@code log Σ exp(logits[i])} over one row.
     *
     * @param logits the logits array
     * @param off offset of the row
     * @param n the row length
     * @return the log-sum-exp
     */
    public static double logSumExp(float[] logits, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logits[off + i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(logits[off + i] - max);
        }
        return max + Math.log(sum);
    }
}
