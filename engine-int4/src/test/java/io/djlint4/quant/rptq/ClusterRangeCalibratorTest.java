package io.djlint4.quant.rptq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.djlint4.model.LinearSlot;
import org.junit.jupiter.api.Test;

/** The "ema_minmax" calibration of cluster ranges (§7.4). */
class ClusterRangeCalibratorTest {

    @Test
    void firstSequenceSetsTheRangeLaterOnesMoveItByOnePercent() {
        // Three channels; cluster 0 = {2}, cluster 1 = {0, 1}.
        ChannelClusters three = new ChannelClusters(new int[] {2, 0, 1}, new int[] {1, 2});
        LayerReorder layer = new LayerReorder(three, three, three, three, three);
        ClusterRangeCalibrator cal = new ClusterRangeCalibrator(new ReorderPlan(new LayerReorder[] {layer}), 0.99);
        cal.onInput(0, LinearSlot.O, new float[] {1, 2, 3, -1, 5, 0}, 2, 3);
        float[][] first = cal.ranges(0, LinearSlot.O);
        assertArrayEquals(new float[] {0, -1}, first[0]);
        assertArrayEquals(new float[] {3, 5}, first[1]);

        cal.onInput(0, LinearSlot.O, new float[] {0, 0, 103, 0, -99, 3}, 2, 3);
        float[][] second = cal.ranges(0, LinearSlot.O);
        assertArrayEquals(new float[] {0.99f * 0 + 0.01f * 3, 0.99f * -1 + 0.01f * -99}, second[0], 1e-5f);
        assertArrayEquals(new float[] {0.99f * 3 + 0.01f * 103, 0.99f * 5 + 0.01f * 0}, second[1], 1e-5f);

        assertThrows(IllegalStateException.class, () -> cal.ranges(0, LinearSlot.DOWN));
        assertThrows(IllegalArgumentException.class, () -> cal.onInput(0, LinearSlot.QKV, new float[4], 1, 4));
    }
}
