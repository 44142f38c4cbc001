package io.djlint4.quant.rptq;

import io.djlint4.model.LinearSlot;
import io.djlint4.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The channel reorders of every decoder layer, computed from calibration ranges by k-means
 * (§7.2 {@code clusterReorder}): each channel is the point {@code (max, min)}, channels are
 * ordered by cluster label, and the o_proj input is clustered per key/value head on ranges pooled
 * over the query heads of the head's group (§7.3 R3 with GQA).
 *
 * @param layers one reorder set per decoder layer
 */
public record ReorderPlan(LayerReorder[] layers) {

    /** Copies the array so the plan cannot change under its users. */
    public ReorderPlan {
        layers = layers.clone();
    }

    /**
     * Computes the plan.
     *
     * @param c the model configuration
     * @param ranges the calibration ranges of every slot of every layer
     * @param settings cluster counts and k-means parameters
     * @return the plan
     */
    public static ReorderPlan compute(ModelConfig c, ChannelRangeCollector ranges, RptqSettings settings) {
        KMeans kmeans = new KMeans(settings.restarts(), settings.seed(), settings.maxIterations());
        LayerReorder[] layers = new LayerReorder[c.numLayers()];
        for (int l = 0; l < layers.length; l++) {
            ChannelRanges qkv = ranges.ranges(l, LinearSlot.QKV);
            ChannelRanges pooled =
                    ranges.ranges(l, LinearSlot.O).poolHeads(c.numHeads(), c.numKvHeads(), c.headDim());
            ChannelRanges gateUp = ranges.ranges(l, LinearSlot.GATE_UP);
            ChannelRanges down = ranges.ranges(l, LinearSlot.DOWN);
            List<ChannelClusters> kvHeads = new ArrayList<>();
            for (int g = 0; g < c.numKvHeads(); g++) {
                kvHeads.add(cluster(pooled.features(g * c.headDim(), c.headDim()), settings.headClusters(), kmeans));
            }
            List<ChannelClusters> queryHeads = new ArrayList<>();
            int group = c.numHeads() / c.numKvHeads();
            for (int h = 0; h < c.numHeads(); h++) {
                queryHeads.add(kvHeads.get(h / group));
            }
            layers[l] =
                    new LayerReorder(
                            cluster(qkv.features(0, qkv.width()), settings.clusters(), kmeans),
                            ChannelClusters.concat(kvHeads),
                            ChannelClusters.concat(queryHeads),
                            cluster(gateUp.features(0, gateUp.width()), settings.clusters(), kmeans),
                            cluster(down.features(0, down.width()), settings.clusters(), kmeans));
        }
        return new ReorderPlan(layers);
    }

    /** Clusters the points with k-means and orders channels by label. */
    static ChannelClusters cluster(double[][] features, int clusters, KMeans kmeans) {
        int[] labels = kmeans.labels(features, clusters);
        int k = 0;
        for (int l : labels) {
            k = Math.max(k, l + 1);
        }
        return ChannelClusters.fromLabels(labels, k);
    }

    /**
     * Returns one layer's reorders.
     *
     * @param layer the decoder layer
     * @return its reorders
     */
    public LayerReorder layer(int layer) {
        return layers[layer];
    }

    /**
     * Checks every layer's widths against a configuration.
     *
     * @param c the configuration
     * @throws IllegalArgumentException if the layer count or a width differs
     */
    public void requireShape(ModelConfig c) {
        if (layers.length != c.numLayers()) {
            throw new IllegalArgumentException("the plan has " + layers.length + " layers, the model " + c.numLayers());
        }
        for (int l = 0; l < layers.length; l++) {
            try {
                layers[l].requireShape(c);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layer " + l + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public LayerReorder[] layers() {
        return layers.clone();
    }
}
