package io.djlint4.quant.rptq;

import io.djlint4.model.LinearInputObserver;
import io.djlint4.model.LinearSlot;
import io.djlint4.quant.weight.QuantParams;

/**
 * Calibrates the static per-cluster grids of RPTQ's KV cache ("ema_minmax", §7.4): the ranges of
 * every layer's key clusters (R2, {@link KeyReorders}) and value clusters (R3, the value-row
 * reorder of the plan), one observed call per calibration sequence, on the original model.
 */
public final class KvClusterCalibrator implements LinearInputObserver {

    private final ReorderPlan plan;
    private final KeyReorders keyReorders;
    private final EmaClusterRanges[] keys;
    private final EmaClusterRanges[] values;

    /**
     * Creates a calibrator with no ranges yet.
     *
     * @param plan the reorders, whose value-row reorders cluster the values
     * @param keyReorders the key reorders
     * @param momentum the weight of the running range at each update
     */
    public KvClusterCalibrator(ReorderPlan plan, KeyReorders keyReorders, double momentum) {
        int layers = plan.layers().length;
        if (keyReorders.layers().length != layers) {
            throw new IllegalArgumentException(
                    "key reorders cover " + keyReorders.layers().length + " layers, the plan " + layers);
        }
        this.plan = plan;
        this.keyReorders = keyReorders;
        this.keys = new EmaClusterRanges[layers];
        this.values = new EmaClusterRanges[layers];
        for (int l = 0; l < layers; l++) {
            keys[l] = new EmaClusterRanges(keyReorders.layer(l), momentum);
            values[l] = new EmaClusterRanges(plan.layer(l).values(), momentum);
        }
    }

    @Override
    public void onInput(int layer, LinearSlot slot, float[] x, int rows, int width) {
        // Linear inputs are ClusterRangeCalibrator's job.
    }

    @Override
    public void onAttentionOperands(int layer, float[] queries, float[] keys, float[] values, int rows) {
        int width = this.keys[layer].width();
        if (keys.length != rows * width || values.length != rows * width) {
            throw new IllegalArgumentException(
                    "layer " + layer + ": keys and values of " + rows + " rows should have " + width + " channels");
        }
        this.keys[layer].update(keys, rows);
        this.values[layer].update(values, rows);
    }

    /**
     * Builds one layer's cache quantizer for the reordered model, whose values arrive in cluster
     * order and keys in rope order.
     *
     * @param layer the decoder layer
     * @param grid the grid of keys and values
     * @return the quantizer
     * @throws IllegalStateException if the layer's attention was never observed
     */
    public ClusterKvQuantizer quantizer(int layer, ClusterGrid grid) {
        if (!keys[layer].calibrated()) {
            throw new IllegalStateException("no calibration keys or values were observed for layer " + layer);
        }
        ChannelClusters valueClusters = plan.layer(layer).values();
        int[] identity = new int[valueClusters.width()];
        for (int j = 0; j < identity.length; j++) {
            identity[j] = j;
        }
        QuantParams[] keyParams = keys[layer].fit(grid);
        QuantParams[] valueParams = values[layer].fit(grid);
        return new ClusterKvQuantizer(
                grid,
                keyReorders.layer(layer),
                keyParams,
                new ChannelClusters(identity, valueClusters.counts()),
                valueParams);
    }
}
