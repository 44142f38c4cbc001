package io.djlint4.quant.rptq;

import io.djlint4.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * R2 of RPTQ adapted to rope (§7.2, §7.3 option (a)): per decoder layer, the key channels of each
 * key/value head clustered on the 4-D features {@code (qmax, kmax, qmin, kmin)} after rope, query
 * ranges pooled over the query heads of the head's group, so queries and keys of a head share one
 * reorder and every score {@code q·k} is unchanged by it. The keys stay in rope order in the cache:
 * rounding each cluster's channels {@code perm[starts[c]..starts[c+1])} with one grid is the same
 * rounding as gathering them first, and queries need no gather.
 *
 * @param layers the key reorder of each layer, over {@code kvHeads * headDim}, one block per head
 */
public record KeyReorders(ChannelClusters[] layers) {

    /** Copies the array so the reorders cannot change under their users. */
    public KeyReorders {
        layers = layers.clone();
    }

    /**
     * Computes the key reorders.
     *
     * @param c the model configuration
     * @param ranges the calibration ranges, queries and keys included
     * @param settings cluster count per head and k-means parameters
     * @return the reorders
     */
    public static KeyReorders compute(ModelConfig c, ChannelRangeCollector ranges, RptqSettings settings) {
        KMeans kmeans = new KMeans(settings.restarts(), settings.seed(), settings.maxIterations());
        int hd = c.headDim();
        ChannelClusters[] layers = new ChannelClusters[c.numLayers()];
        for (int l = 0; l < layers.length; l++) {
            ChannelRanges queries = ranges.queryRanges(l).poolHeads(c.numHeads(), c.numKvHeads(), hd);
            ChannelRanges keys = ranges.keyRanges(l);
            List<ChannelClusters> heads = new ArrayList<>();
            for (int g = 0; g < c.numKvHeads(); g++) {
                double[][] features = ChannelRanges.jointFeatures(queries, keys, g * hd, hd);
                heads.add(ReorderPlan.cluster(features, settings.headClusters(), kmeans));
            }
            layers[l] = ChannelClusters.concat(heads);
        }
        return new KeyReorders(layers);
    }

    /**
     * Returns one layer's key reorder.
     *
     * @param layer the decoder layer
     * @return its reorder
     */
    public ChannelClusters layer(int layer) {
        return layers[layer];
    }

    @Override
    public ChannelClusters[] layers() {
        return layers.clone();
    }
}
