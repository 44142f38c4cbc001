package io.djlint4.quant.rptq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.model.Architecture;
import io.djlint4.model.ModelConfig;
import io.djlint4.quant.weight.QuantParams;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** RPTQ's KV cache: the R2 key reorder per key/value head (§7.2, §7.3 (a)) and static per-cluster grids (§7.4). */
class ClusterKvQuantizerTest {

    private static final int HEADS = 4;
    private static final int KV_HEADS = 2;
    private static final int HD = 16;
    private static final int KV = KV_HEADS * HD;
    private static final ModelConfig CONFIG =
            new ModelConfig(Architecture.LLAMA, HEADS * HD, 64, 1, HEADS, KV_HEADS, HD, 32, 1e-5, 1e4, null, 64, false, false, false, 1, new int[] {2});

    /** Keys with a few wide channels per head, queries pooled per group. */
    private static ChannelRangeCollector observed(long seed, int rows) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] q = new float[rows * HEADS * HD];
        float[] k = new float[rows * KV];
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) rnd.nextGaussian() * ((i % HD) == 3 ? 8 : 1);
        }
        for (int i = 0; i < k.length; i++) {
            k[i] = (float) rnd.nextGaussian() * ((i % HD) < 2 ? 20 : 1);
        }
        ChannelRangeCollector ranges = new ChannelRangeCollector(1);
        ranges.onAttentionOperands(0, q, k, new float[k.length], rows);
        return ranges;
    }

    @Test
    void keyReorderPermutesWithinEachKvHeadAndSeparatesWideChannels() {
        ChannelClusters keys = KeyReorders.compute(CONFIG, observed(1, 64), RptqSettings.DEFAULT).layer(0);
        assertEquals(KV, keys.width());
        int[] perm = keys.perm();
        int[] starts = keys.starts();
        assertEquals(KV_HEADS * RptqSettings.DEFAULT.headClusters(), keys.clusterCount());
        for (int g = 0; g < KV_HEADS; g++) {
            int[] block = Arrays.copyOfRange(perm, g * HD, (g + 1) * HD);
            Arrays.sort(block);
            for (int i = 0; i < HD; i++) {
                assertEquals(g * HD + i, block[i], "head " + g + " reorder leaves its block");
            }
        }
        // The two wide channels of each head (0 and 1) never share a cluster with a narrow one.
        for (int c = 0; c < keys.clusterCount(); c++) {
            long wide = Arrays.stream(perm, starts[c], starts[c + 1]).filter(ch -> ch % HD < 2).count();
            assertTrue(wide == 0 || wide == starts[c + 1] - starts[c], "cluster " + c + " mixes wide and narrow keys");
        }
    }

    @Test
    void roundingInRopeOrderEqualsGatherRoundScatter() {
        ChannelClusters keys = KeyReorders.compute(CONFIG, observed(2, 64), RptqSettings.DEFAULT).layer(0);
        ClusterGrid grid = new ClusterGrid(4);
        SplittableRandom rnd = new SplittableRandom(3);
        QuantParams[] params = new QuantParams[keys.clusterCount()];
        for (int c = 0; c < params.length; c++) {
            params[c] = grid.fit((float) -rnd.nextDouble(0.5, 20), (float) rnd.nextDouble(0.5, 20));
        }
        ClusterKvQuantizer kv = new ClusterKvQuantizer(grid, keys, params, keys, params);
        int tokens = 5;
        float[] x = new float[tokens * KV];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian() * 6;
        }
        float[] direct = x.clone();
        kv.quantizeKeys(direct, tokens);

        float[] gathered = new float[x.length];
        new ChannelGather(keys).apply(x, tokens, gathered);
        new ClusterActivationQuantizer(grid, keys, params).apply(gathered, tokens, KV, gathered);
        float[] scattered = new float[x.length];
        int[] perm = keys.perm();
        for (int t = 0; t < tokens; t++) {
            for (int j = 0; j < KV; j++) {
                scattered[t * KV + perm[j]] = gathered[t * KV + j];
            }
        }
        assertArrayEquals(scattered, direct, 0f);
    }

    @Test
    void calibratedGridsReconstructTheirRangeAndRoundValuesInClusterOrder() {
        ChannelClusters three = new ChannelClusters(new int[] {2, 0, 1}, new int[] {1, 2});
        LayerReorder layer = new LayerReorder(three, three, three, three, three);
        ReorderPlan plan = new ReorderPlan(new LayerReorder[] {layer});
        ChannelClusters keys = new ChannelClusters(new int[] {1, 0, 2}, new int[] {2, 1});
        KvClusterCalibrator cal = new KvClusterCalibrator(plan, new KeyReorders(new ChannelClusters[] {keys}), 0.99);
        assertThrows(IllegalStateException.class, () -> cal.quantizer(0, new ClusterGrid(4)));
        // Keys: cluster {0, 1} spans [-2, 6], cluster {2} [0, 1]. Values (original order): cluster {2} spans
        // [-8, 8], cluster {0, 1} [0, 3].
        cal.onAttentionOperands(0, new float[0], new float[] {-2, 6, 0, 1, 1, 1}, new float[] {0, 3, -8, 1, 2, 8}, 2);
        ClusterGrid grid = new ClusterGrid(4);
        ClusterKvQuantizer kv = cal.quantizer(0, grid);

        QuantParams wideKeys = grid.fit(-2, 6);
        assertEquals(wideKeys, kv.keyParams()[0]);
        assertEquals(grid.fit(0, 1), kv.keyParams()[1]);
        float s = wideKeys.scale();
        float[] keysIn = new float[60];
        for (int t = 0; t < 20; t++) {
            float v = -2 + t * (8 - s) / 19;
            keysIn[t * 3] = v;
            keysIn[t * 3 + 1] = v;
            keysIn[t * 3 + 2] = 0.5f;
        }
        float[] keysOut = keysIn.clone();
        kv.quantizeKeys(keysOut, 20);
        for (int t = 0; t < 20; t++) {
            assertTrue(Math.abs(keysOut[t * 3] - keysIn[t * 3]) <= s / 2 + 1e-6, "token " + t);
            int code = grid.quantize(keysIn[t * 3], wideKeys);
            assertTrue(code >= -8 && code <= 7);
        }

        // The reordered model's values arrive as [channel 2, channel 0, channel 1]: cluster 0 is position 0.
        assertArrayEquals(new int[] {0, 1, 2}, kv.values().perm());
        float[] values = {8, 3, 0};
        kv.quantizeValues(values, 1);
        assertEquals(grid.roundTrip(8, grid.fit(-8, 8)), values[0], 0f);
        assertEquals(grid.roundTrip(3, grid.fit(0, 3)), values[1], 0f);
    }
}
