package io.djlint4.spark;

import io.djlint4.eval.EvalReport;
import java.io.Serializable;
import java.util.List;

/**
 * The report of one partition's windows, as sums, so that partitions add up to the report of all
 * windows: the driver's reduce of the executors' {@link EvalReport}s.
 *
 * @param nll the summed negative log-likelihood, in nats
 * @param kl the summed KL divergence against the reference, in nats
 * @param agreements the number of positions whose top-1 tokens agree
 * @param tokens the number of predicted tokens
 * @param windows the number of windows
 * @param buildSeconds the seconds the executor spent building its model
 */
record WindowScores(double nll, double kl, long agreements, long tokens, int windows, double buildSeconds)
        implements Serializable {

    /**
     * Turns one partition's report back into sums.
     *
     * @param report the partition's report
     * @param buildSeconds the seconds its executor spent building the model
     * @return the sums
     */
    static WindowScores of(EvalReport report, double buildSeconds) {
        return new WindowScores(report.meanNll() * report.tokens(), report.klVsReference() * report.tokens(),
                Math.round(report.top1Agreement() * report.tokens()), report.tokens(), report.windows(), buildSeconds);
    }

    /**
     * Adds up partitions into the report of all their windows.
     *
     * @param parts the partitions' sums, at least one
     * @return the report
     * @throws IllegalArgumentException when no token was scored
     */
    static EvalReport merge(List<WindowScores> parts) {
        double nll = 0;
        double kl = 0;
        long agreements = 0;
        long tokens = 0;
        int windows = 0;
        for (WindowScores p : parts) {
            nll += p.nll;
            kl += p.kl;
            agreements += p.agreements;
            tokens += p.tokens;
            windows += p.windows;
        }
        if (tokens == 0) {
            throw new IllegalArgumentException("no tokens to score: the text is shorter than one window");
        }
        double meanNll = nll / tokens;
        return new EvalReport(Math.exp(meanNll), meanNll, kl / tokens, (double) agreements / tokens, tokens, windows);
    }
}
