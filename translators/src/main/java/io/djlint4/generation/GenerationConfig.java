package io.djlint4.generation;

import java.util.List;

/**
 * What one generation run does.
 *
 * @param maxNewTokens the most tokens to generate, at least 1
 * @param sampling how each token is chosen
 * @param eosIds token ids that end generation (they count as generated tokens but add no text)
 * @param stopStrings texts that end generation when the output contains them; the output is cut
 *     before the first one
 */
public record GenerationConfig(
        int maxNewTokens, SamplingConfig sampling, int[] eosIds, List<String> stopStrings) {

    /** Checks the values and copies the arrays. */
    public GenerationConfig {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("max new tokens must be at least 1, got " + maxNewTokens);
        }
        if (sampling == null) {
            throw new IllegalArgumentException("sampling config is required");
        }
        eosIds = eosIds == null ? new int[0] : eosIds.clone();
        stopStrings = stopStrings == null ? List.of() : List.copyOf(stopStrings);
        for (String s : stopStrings) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("stop strings must not be empty");
            }
        }
    }

    /**
     * Creates a configuration without stop strings.
     *
     * @param maxNewTokens the most tokens to generate
     * @param sampling how each token is chosen
     * @param eosIds token ids that end generation
     * @return the configuration
     */
    public static GenerationConfig of(int maxNewTokens, SamplingConfig sampling, int... eosIds) {
        return new GenerationConfig(maxNewTokens, sampling, eosIds, List.of());
    }

    @Override
    public int[] eosIds() {
        return eosIds.clone();
    }

    /**
     * Tells whether a token ends generation.
     *
     * @param tokenId the token
     * @return {@code true} when it is one of the EOS ids
     */
    public boolean isEos(int tokenId) {
        for (int id : eosIds) {
            if (id == tokenId) {
                return true;
            }
        }
        return false;
    }
}
