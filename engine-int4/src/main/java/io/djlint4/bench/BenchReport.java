package io.djlint4.bench;

/**
 * The result of a {@link GenerationBenchmark}.
 *
 * @param promptTokens the prompt length
 * @param genTokens the number of decoded tokens
 * @param prefillTokensPerSecond prompt tokens processed per second
 * @param decodeTokensPerSecond tokens decoded per second
 * @param peakHeapBytes the peak heap use during the benchmark (sum of heap pools' peaks)
 */
public record BenchReport(
        int promptTokens,
        int genTokens,
        double prefillTokensPerSecond,
        double decodeTokensPerSecond,
        long peakHeapBytes) {}
