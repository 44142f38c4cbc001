package io.djlint4.quant.rptq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Oracle 32 of ALGORITHMS.md §10 for the reorder type: bijection, counts, contiguity. */
class ChannelClustersTest {

    @Test
    void labelsBecomeContiguousRunsInStableOrder() {
        int[] labels = {2, 0, 1, 0, 2, 2, 1, 0};
        ChannelClusters c = ChannelClusters.fromLabels(labels, 3);
        assertArrayEquals(new int[] {1, 3, 7, 2, 6, 0, 4, 5}, c.perm());
        assertArrayEquals(new int[] {3, 2, 3}, c.counts());
        int[] starts = c.starts();
        assertArrayEquals(new int[] {0, 3, 5, 8}, starts);
        for (int cluster = 0; cluster < 3; cluster++) {
            for (int j = starts[cluster]; j < starts[cluster + 1]; j++) {
                assertTrue(labels[c.perm()[j]] == cluster, "position " + j);
            }
        }
    }

    @Test
    void concatenationOffsetsEachBlock() {
        ChannelClusters a = new ChannelClusters(new int[] {1, 0, 2}, new int[] {1, 2});
        ChannelClusters b = new ChannelClusters(new int[] {1, 0}, new int[] {2});
        ChannelClusters joined = ChannelClusters.concat(List.of(a, b, a));
        assertArrayEquals(new int[] {1, 0, 2, 4, 3, 6, 5, 7}, joined.perm());
        assertArrayEquals(new int[] {1, 2, 2, 1, 2}, joined.counts());
    }

    @Test
    void rejectsWhatIsNotABijectionOrTiling() {
        assertThrows(IllegalArgumentException.class, () -> new ChannelClusters(new int[] {0, 0, 1}, new int[] {3}));
        assertThrows(IllegalArgumentException.class, () -> new ChannelClusters(new int[] {0, 3, 1}, new int[] {3}));
        assertThrows(IllegalArgumentException.class, () -> new ChannelClusters(new int[] {0, 2, 1}, new int[] {2}));
        assertThrows(IllegalArgumentException.class, () -> new ChannelClusters(new int[] {0, 2, 1}, new int[] {3, 0}));
        assertThrows(IllegalArgumentException.class, () -> ChannelClusters.fromLabels(new int[] {0, 3}, 2));
    }

    @Test
    void gatherWritesChannelsInReorderedOrder() {
        ChannelClusters c = new ChannelClusters(new int[] {2, 0, 1}, new int[] {1, 2});
        float[] out = new float[6];
        new ChannelGather(c).apply(new float[] {10, 11, 12, 20, 21, 22}, 2, out);
        assertArrayEquals(new float[] {12, 10, 11, 22, 20, 21}, out);
    }
}
