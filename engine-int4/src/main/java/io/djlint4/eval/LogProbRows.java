package io.djlint4.eval;

import io.djlint4.model.LogSoftmax;

/**
 * The base model's next-token log-probabilities at the scored positions of one window, one row
 * per position. Rows read back from a saved file keep only what lies within 16 nats of each
 * row's most likely token, as llama.cpp's saved base does: entries below that floor are {@code
 * -∞} here (left out of the KL divergence, as llama.cpp leaves them out). Unlike llama.cpp's, they
 * also keep the exact log-probability of the token that follows each position, so the base's
 * perplexity is not raised by unlikely tokens clamped to the floor.
 */
public final class LogProbRows {

    private final float[] values;
    private final double[] shifts;
    private final int[] targets;
    private final float[] targetLogProbs;
    private final int vocab;

    /**
     * Wraps rows whose entries minus their row's shift are the log-probabilities.
     *
     * @param values {@code [rows, vocab]} logits or log-probabilities, {@code -∞} below a row's floor
     * @param shifts each row's log-sum-exp of {@code values}, or {@code null} for log-probabilities
     * @param targets the token that follows each row's position, or {@code null} when every
     *     entry is exact
     * @param targetLogProbs the exact log-probability of each row's target
     * @param vocab the vocabulary size
     */
    LogProbRows(float[] values, double[] shifts, int[] targets, float[] targetLogProbs, int vocab) {
        this.values = values;
        this.shifts = shifts;
        this.targets = targets;
        this.targetLogProbs = targetLogProbs;
        this.vocab = vocab;
    }

    /**
     * Keeps rows of logits with their log-sum-exp (in double precision), so the log-probabilities
     * are those computed from the logits themselves: two equal models compare to exactly zero.
     *
     * @param logits {@code [positions, vocab]} logits
     * @param firstRow the first position to keep
     * @param rows how many positions to keep
     * @param vocab the vocabulary size
     * @return the rows
     */
    static LogProbRows fromLogits(float[] logits, int firstRow, int rows, int vocab) {
        float[] v = java.util.Arrays.copyOfRange(logits, firstRow * vocab, (firstRow + rows) * vocab);
        double[] lse = new double[rows];
        for (int r = 0; r < rows; r++) {
            lse[r] = LogSoftmax.logSumExp(v, r * vocab, vocab);
        }
        return new LogProbRows(v, lse, null, null, vocab);
    }

    /**
     * Returns the number of rows.
     *
     * @return the scored positions of the window
     */
    public int rows() {
        return values.length / vocab;
    }

    /**
     * Returns the base model's log-probability of a token.
     *
     * @param row the row
     * @param token the token
     * @return the log-probability; {@code -∞} for a token below a saved row's floor that is not
     *     the row's target
     */
    public double logProbability(int row, int token) {
        if (targets != null && targets[row] == token) {
            return targetLogProbs[row];
        }
        return values[row * vocab + token] - shift(row);
    }

    /**
     * Returns the base model's most likely token (the first of equals).
     *
     * @param row the row
     * @return the token id
     */
    public int argMax(int row) {
        int off = row * vocab;
        int best = 0;
        for (int i = 1; i < vocab; i++) {
            if (values[off + i] > values[off + best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Returns {@code KL(P_base || P_model)} for one row, in double precision.
     *
     * @param row the row
     * @param logits the model's logits
     * @param off the offset of the model's row of logits
     * @return the divergence in nats, never negative
     */
    public double klDivergence(int row, float[] logits, int off) {
        double lseQ = LogSoftmax.logSumExp(logits, off, vocab);
        int base = row * vocab;
        double lseP = shift(row);
        double kl = 0;
        for (int i = 0; i < vocab; i++) {
            double logP = values[base + i] - lseP;
            if (logP == Double.NEGATIVE_INFINITY) {
                continue;
            }
            kl += Math.exp(logP) * (logP - (logits[off + i] - lseQ));
        }
        return Math.max(0, kl);
    }

    private double shift(int row) {
        return shifts == null ? 0 : shifts[row];
    }
}
