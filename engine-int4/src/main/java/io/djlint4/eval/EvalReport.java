package io.djlint4.eval;

/**
 * The result of scoring a model on text.
 *
 * @param perplexity {@code exp(meanNll)}
 * @param meanNll mean negative log-likelihood of the predicted tokens, in nats
 * @param klVsReference mean per-token {@code KL(P_reference || P_model)} in nats; 0 without a
 *     reference
 * @param top1Agreement fraction of predicted positions where the model's and the reference's
 *     most likely next tokens agree; 1 without a reference
 * @param tokens the number of predicted tokens scored
 * @param windows the number of windows scored
 * @param referenceMeanNll the reference's mean negative log-likelihood of the same tokens, or
 *     {@code meanNll} without a reference
 * @param klStatistics the distribution of the per-token divergences, or {@code null} without a
 *     reference
 */
public record EvalReport(
        double perplexity,
        double meanNll,
        double klVsReference,
        double top1Agreement,
        long tokens,
        int windows,
        double referenceMeanNll,
        KlStatistics klStatistics) {

    /**
     * A report without the reference's likelihood and the divergence distribution.
     *
     * @param perplexity {@code exp(meanNll)}
     * @param meanNll mean negative log-likelihood in nats
     * @param klVsReference mean KL divergence in nats
     * @param top1Agreement fraction of agreeing most likely tokens
     * @param tokens tokens scored
     * @param windows windows scored
     */
    public EvalReport(
            double perplexity, double meanNll, double klVsReference, double top1Agreement, long tokens, int windows) {
        this(perplexity, meanNll, klVsReference, top1Agreement, tokens, windows, meanNll, null);
    }

    /**
     * Returns the reference's perplexity on the same tokens.
     *
     * @return {@code exp(referenceMeanNll)}
     */
    public double referencePerplexity() {
        return Math.exp(referenceMeanNll);
    }

    /**
     * Returns how much more perplexed the model is than the reference, llama.cpp's {@code Mean
     * PPL(Q)/PPL(base)}.
     *
     * @return {@code exp(meanNll − referenceMeanNll)}
     */
    public double perplexityRatio() {
        return Math.exp(meanNll - referenceMeanNll);
    }
}
