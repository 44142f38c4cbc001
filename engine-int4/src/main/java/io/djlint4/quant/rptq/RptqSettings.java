package io.djlint4.quant.rptq;

import io.djlint4.model.LinearSlot;

/**
 * The constants of RPTQ, with the values of the official code.
 *
 * @param clusters clusters of each norm output and of the down_proj input (R1, R4, R5: 32)
 * @param headClusters clusters per key/value head of the o_proj input (R3: 4)
 * @param restarts k-means restarts, the best inertia kept (10)
 * @param seed the k-means seed (0)
 * @param maxIterations the Lloyd iteration limit of one k-means run (300, as scikit-learn)
 * @param emaMomentum weight of the running range when a calibration sequence updates a cluster's
 *     range (0.99)
 * @param normOutputMinBits the fewest bits given to norm outputs (q/k/v and gate/up inputs): the
 *     official code quantizes them with {@code max(8, a)} bits; 0 quantizes them with {@code a}
 */
public record RptqSettings(
        int clusters,
        int headClusters,
        int restarts,
        long seed,
        int maxIterations,
        double emaMomentum,
        int normOutputMinBits) {

    /** The official code's defaults. */
    public static final RptqSettings DEFAULT = new RptqSettings(32, 4, 10, 0, 300, 0.99, 8);

    /** Checks the values. */
    public RptqSettings {
        if (clusters < 1 || headClusters < 1 || restarts < 1 || maxIterations < 1) {
            throw new IllegalArgumentException(
                    "clusters, head clusters, restarts and iterations must be positive, got "
                            + clusters + ", " + headClusters + ", " + restarts + ", " + maxIterations);
        }
        if (!(emaMomentum >= 0 && emaMomentum < 1)) {
            throw new IllegalArgumentException("EMA momentum must be in [0, 1), got " + emaMomentum);
        }
    }

    /**
     * Returns these settings with norm outputs quantized at the recipe's activation width.
     *
     * @return a copy with {@code normOutputMinBits = 0}
     */
    public RptqSettings withPlainNormOutputs() {
        return new RptqSettings(clusters, headClusters, restarts, seed, maxIterations, emaMomentum, 0);
    }

    /**
     * Returns the activation bit width of one slot.
     *
     * @param slot the slot
     * @param activationBits the recipe's activation width
     * @return {@code max(normOutputMinBits, a)} for norm outputs, else {@code a}
     */
    public int activationBits(LinearSlot slot, int activationBits) {
        boolean normOutput = slot == LinearSlot.QKV || slot == LinearSlot.GATE_UP;
        return normOutput ? Math.max(normOutputMinBits, activationBits) : activationBits;
    }
}
