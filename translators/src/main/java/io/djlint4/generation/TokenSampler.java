package io.djlint4.generation;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks next tokens from logits following a {@link SamplingConfig}. One sampler serves one
 * sequence: it owns the random stream, so the same seed and logits give the same tokens.
 */
public final class TokenSampler {

    private final SamplingConfig config;
    private final SplittableRandom random;

    /**
     * Creates a sampler.
     *
     * @param config the sampling settings
     */
    public TokenSampler(SamplingConfig config) {
        this.config = config;
        this.random = new SplittableRandom(config.seed());
    }

    /**
     * Chooses the next token.
     *
     * @param logits the logits array
     * @param off offset of the row to use
     * @param vocab the row length
     * @param history tokens already in the sequence (for the repetition penalty)
     * @param historyLength how many entries of {@code history} are valid
     * @return the chosen token id
     * @throws IllegalStateException if a logit is NaN or infinite: the model's weights or
     *     hyper-parameters are broken, and any token chosen would be arbitrary
     */
    public int next(float[] logits, int off, int vocab, int[] history, int historyLength) {
        float[] row = Arrays.copyOfRange(logits, off, off + vocab);
        for (int i = 0; i < vocab; i++) {
            if (!Float.isFinite(row[i])) {
                throw new IllegalStateException("the model computed a non-finite logit (" + row[i] + " for token " + i
                        + "); its weights or hyper-parameters are broken");
            }
        }
        if (config.repetitionPenalty() != 1) {
            penalize(row, history, historyLength, (float) config.repetitionPenalty());
        }
        if (config.isGreedy()) {
            return argMax(row);
        }
        return sample(row);
    }

    private static void penalize(float[] row, int[] history, int n, float penalty) {
        boolean[] seen = new boolean[row.length];
        for (int i = 0; i < n; i++) {
            int t = history[i];
            if (t >= 0 && t < row.length && !seen[t]) {
                seen[t] = true;
                row[t] = row[t] > 0 ? row[t] / penalty : row[t] * penalty;
            }
        }
    }

    private int sample(float[] row) {
        int n = row.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(row[b], row[a]));
        int keep = config.topK() > 0 ? Math.min(config.topK(), n) : n;
        double max = row[order[0]];
        double[] p = new double[keep];
        double sum = 0;
        for (int i = 0; i < keep; i++) {
            p[i] = Math.exp((row[order[i]] - max) / config.temperature());
            sum += p[i];
        }
        // Nucleus: the smallest prefix of the sorted tokens reaching top-p of the mass.
        double mass = 0;
        int nucleus = keep;
        for (int i = 0; i < keep; i++) {
            mass += p[i] / sum;
            if (mass >= config.topP()) {
                nucleus = i + 1;
                break;
            }
        }
        double total = 0;
        for (int i = 0; i < nucleus; i++) {
            total += p[i];
        }
        double u = random.nextDouble() * total;
        for (int i = 0; i < nucleus; i++) {
            u -= p[i];
            if (u < 0) {
                return order[i];
            }
        }
        return order[nucleus - 1];
    }

    private static int argMax(float[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (row[i] > row[best]) {
                best = i;
            }
        }
        return best;
    }
}
