package io.djlint4.model;

/**
 * Llama-3 style rope frequency scaling ({@code rope_scaling.rope_type = "llama3"}).
 *
 * @param factor the long-context scaling factor
 * @param lowFreqFactor wavelengths above {@code originalMaxPosition / lowFreqFactor} are divided by
 *     {@code factor}
 * @param highFreqFactor wavelengths below {@code originalMaxPosition / highFreqFactor} are kept
 * @param originalMaxPosition the context length the model was pre-trained with
 */
public record RopeScaling(
        double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPosition) {}
