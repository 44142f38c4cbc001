package io.djlint4.quant.rptq;

import io.djlint4.model.KvQuantizer;
import io.djlint4.quant.weight.QuantParams;

/**
 * RPTQ's KV cache (§7.4, §7.5): keys and values rounded with static per-cluster grids calibrated
 * offline, so no per-token scale is stored. Cluster {@code c} of a row holds channels {@code
 * perm[starts[c]..starts[c+1])} of its reorder: keys arrive in rope order, so their reorder is the
 * R2 one ({@link KeyReorders}); values arrive already reordered (value rows are permuted by R3),
 * so their reorder is the identity with R3's cluster sizes.
 *
 * @param grid the grid of both tensors
 * @param keys the key clusters, over {@code kvHeads * headDim}
 * @param keyParams one grid fit per key cluster
 * @param values the value clusters, over {@code kvHeads * headDim}
 * @param valueParams one grid fit per value cluster
 */
public record ClusterKvQuantizer(
        ClusterGrid grid, ChannelClusters keys, QuantParams[] keyParams, ChannelClusters values, QuantParams[] valueParams)
        implements KvQuantizer {

    /** Checks the shapes and copies the arrays. */
    public ClusterKvQuantizer {
        if (keyParams.length != keys.clusterCount() || valueParams.length != values.clusterCount()) {
            throw new IllegalArgumentException(
                    keyParams.length + " key and " + valueParams.length + " value grids for "
                            + keys.clusterCount() + " key and " + values.clusterCount() + " value clusters");
        }
        if (keys.width() != values.width()) {
            throw new IllegalArgumentException(
                    "key clusters cover " + keys.width() + " channels, value clusters " + values.width());
        }
        keyParams = keyParams.clone();
        valueParams = valueParams.clone();
    }

    @Override
    public void quantizeKeys(float[] keys, int tokens) {
        round(keys, tokens, this.keys, keyParams);
    }

    @Override
    public void quantizeValues(float[] values, int tokens) {
        round(values, tokens, this.values, valueParams);
    }

    private void round(float[] x, int tokens, ChannelClusters clusters, QuantParams[] params) {
        int width = clusters.width();
        if (x.length < tokens * width) {
            throw new IllegalArgumentException(
                    tokens + " tokens of " + width + " channels do not fit " + x.length + " values");
        }
        int[] perm = clusters.perm();
        int[] starts = clusters.starts();
        for (int t = 0; t < tokens; t++) {
            int off = t * width;
            for (int c = 0; c < params.length; c++) {
                for (int j = starts[c]; j < starts[c + 1]; j++) {
                    int i = off + perm[j];
                    x[i] = grid.roundTrip(x[i], params[c]);
                }
            }
        }
    }

    @Override
    public QuantParams[] keyParams() {
        return keyParams.clone();
    }

    @Override
    public QuantParams[] valueParams() {
        return valueParams.clone();
    }
}
