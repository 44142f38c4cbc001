package io.djlint4.eval;

import java.util.Arrays;

/**
 * The distribution of per-token KL divergences, as llama-perplexity's {@code --kl-divergence}
 * prints it: mean, median and upper percentiles (linear interpolation between the sorted values,
 * llama.cpp's {@code percentile}), maximum.
 *
 * @param mean the mean in nats
 * @param median the median (the mean of the middle two for an even count)
 * @param p90 the 90th percentile
 * @param p95 the 95th percentile
 * @param p99 the 99th percentile
 * @param p999 the 99.9th percentile
 * @param max the largest value
 */
public record KlStatistics(double mean, double median, double p90, double p95, double p99, double p999, double max) {

    /**
     * Summarizes per-token divergences.
     *
     * @param values one divergence per scored token (not modified)
     * @return the statistics
     * @throws IllegalArgumentException when there are no values
     */
    public static KlStatistics of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no KL values to summarize");
        }
        double[] s = values.clone();
        Arrays.sort(s);
        double sum = 0;
        for (double v : s) {
            sum += v;
        }
        int n = s.length;
        double median = n % 2 == 0 ? 0.5 * (s[n / 2] + s[n / 2 - 1]) : s[n / 2];
        return new KlStatistics(sum / n, median, percentile(s, 0.90), percentile(s, 0.95), percentile(s, 0.99),
                percentile(s, 0.999), s[n - 1]);
    }

    /** llama.cpp's interpolation: position {@code fraction·(n−1)}, between its two neighbours. */
    static double percentile(double[] sorted, double fraction) {
        double p = fraction * (sorted.length - 1);
        int i = (int) p;
        double t = p - i;
        return (1 - t) * sorted[i] + t * sorted[Math.min(i + 1, sorted.length - 1)];
    }
}
