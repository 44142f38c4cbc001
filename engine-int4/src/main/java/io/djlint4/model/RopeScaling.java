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
        double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPosition) {

    /** Checks the values: finite, {@code factor >= 1}, {@code 0 < lowFreqFactor < highFreqFactor}. */
    public RopeScaling {
        if (!(factor >= 1 && Double.isFinite(factor))) {
            throw new IllegalArgumentException("rope_scaling.factor must be finite and at least 1, got " + factor);
        }
        if (!(lowFreqFactor > 0 && lowFreqFactor < highFreqFactor && Double.isFinite(highFreqFactor))) {
            throw new IllegalArgumentException("rope_scaling needs finite 0 < low_freq_factor < high_freq_factor, got "
                    + lowFreqFactor + " and " + highFreqFactor);
        }
        if (originalMaxPosition <= 0) {
            throw new IllegalArgumentException("rope_scaling.original_max_position_embeddings must be positive, got "
                    + originalMaxPosition);
        }
    }
}
