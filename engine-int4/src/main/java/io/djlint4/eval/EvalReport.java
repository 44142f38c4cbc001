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
 */
public record EvalReport(
        double perplexity,
        double meanNll,
        double klVsReference,
        double top1Agreement,
        long tokens,
        int windows) {}
