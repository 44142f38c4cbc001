package io.djlint4.eval;

import io.djlint4.model.LinearSlot;

/**
 * Activation statistics of one linear slot of one layer.
 *
 * @param layer the decoder layer
 * @param slot the linear slot
 * @param topChannels the input channels with the largest |activation|, largest first
 * @param topChannelMax their largest |activation|
 * @param medianChannelMax the median over channels of each channel's largest |activation|
 * @param maxTokenAbs the largest |activation| of any token
 * @param maxToken the position of that token among all tokens observed
 * @param medianTokenMax the median over tokens of each token's largest |activation|
 */
public record SlotStatistics(
        int layer,
        LinearSlot slot,
        int[] topChannels,
        float[] topChannelMax,
        float medianChannelMax,
        float maxTokenAbs,
        long maxToken,
        float medianTokenMax) {

    /**
     * Returns how far the largest channel stands above the typical one.
     *
     * @return largest channel maximum over the median channel maximum
     */
    public double channelOutlierRatio() {
        return topChannelMax.length == 0 || medianChannelMax == 0 ? 0 : topChannelMax[0] / medianChannelMax;
    }

    /**
     * Returns how far the most extreme token stands above the typical one (massive activations).
     *
     * @return largest token maximum over the median token maximum
     */
    public double tokenOutlierRatio() {
        return medianTokenMax == 0 ? 0 : maxTokenAbs / medianTokenMax;
    }
}
