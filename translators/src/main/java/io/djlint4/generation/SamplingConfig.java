package io.djlint4.generation;

/**
 * How the next token is chosen from the logits.
 *
 * @param temperature divides the logits; 0 means greedy (arg max)
 * @param topK keep only the {@code topK} most likely tokens; 0 keeps all
 * @param topP keep the smallest set of most likely tokens whose probability reaches {@code topP};
 *     1 keeps all
 * @param repetitionPenalty divides positive (multiplies negative) logits of tokens already in the
 *     sequence, as Hugging Face does; 1 disables it
 * @param seed the random seed, so sampled output is reproducible
 */
public record SamplingConfig(
        double temperature, int topK, double topP, double repetitionPenalty, long seed) {

    /** Greedy decoding. */
    public static final SamplingConfig GREEDY = new SamplingConfig(0, 0, 1, 1, 0);

    /** Checks the ranges. */
    public SamplingConfig {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be >= 0, got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        }
        if (!(repetitionPenalty > 0) || Double.isInfinite(repetitionPenalty)) {
            throw new IllegalArgumentException(
                    "repetition penalty must be > 0, got " + repetitionPenalty);
        }
    }

    /**
     * Returns whether the choice is deterministic arg max.
     *
     * @return {@code true} for temperature 0
     */
    public boolean isGreedy() {
        return temperature == 0;
    }
}
