package io.djlint4.quant.rptq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.model.Architecture;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.LinearSlot;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Oracle 32 of ALGORITHMS.md §10 on a model's plan (bijections, per-head blocks, counts, clusters
 * contiguous), determinism of the plan, and outlier channels clustered apart.
 */
class ReorderPlanTest {

    private static final RptqSettings SETTINGS = new RptqSettings(5, 3, 10, 0, 300, 0.99, 8);
    private static final ModelConfig CONFIG = ReorderedModels.config(Architecture.QWEN2, 4, 2, true, true, false);

    private static ModelWeights weights;
    private static List<long[]> calibration;
    private static ReorderPlan plan;

    @BeforeAll
    static void computePlan() {
        weights = ReorderedModels.weights(CONFIG, 11);
        calibration = ReorderedModels.sequences(4, 24, CONFIG.vocabSize(), 12);
        plan = new RptqQuantizer(SETTINGS).plan(weights, calibration);
    }

    @Test
    void samePlanFromSameCalibration() {
        ReorderPlan again = new RptqQuantizer(SETTINGS).plan(weights, calibration);
        for (int l = 0; l < CONFIG.numLayers(); l++) {
            for (LinearSlot slot : LinearSlot.values()) {
                assertArrayEquals(plan.layer(l).input(slot).perm(), again.layer(l).input(slot).perm());
                assertArrayEquals(plan.layer(l).input(slot).counts(), again.layer(l).input(slot).counts());
            }
        }
    }

    @Test
    void residualInputsGetTheConfiguredClusterCount() {
        for (int l = 0; l < CONFIG.numLayers(); l++) {
            assertEquals(SETTINGS.clusters(), plan.layer(l).qkv().clusterCount());
            assertEquals(SETTINGS.clusters(), plan.layer(l).gateUp().clusterCount());
            assertEquals(SETTINGS.clusters(), plan.layer(l).down().clusterCount());
        }
    }

    @Test
    void outputProjectionReorderStaysInsideHeadsAndFollowsTheKeyValueHead() {
        int hd = CONFIG.headDim();
        int group = CONFIG.numHeads() / CONFIG.numKvHeads();
        for (int l = 0; l < CONFIG.numLayers(); l++) {
            int[] values = plan.layer(l).values().perm();
            int[] o = plan.layer(l).o().perm();
            for (int h = 0; h < CONFIG.numHeads(); h++) {
                int g = h / group;
                for (int i = 0; i < hd; i++) {
                    int v = values[g * hd + i];
                    assertTrue(v >= g * hd && v < (g + 1) * hd, "value channel " + v + " left kv head " + g);
                    assertEquals(v - g * hd + h * hd, o[h * hd + i], "query head " + h + " position " + i);
                }
            }
            assertHeadTiling(plan.layer(l).values().counts(), CONFIG.numKvHeads(), hd);
            assertHeadTiling(plan.layer(l).o().counts(), CONFIG.numHeads(), hd);
            assertEquals(CONFIG.numHeads() * SETTINGS.headClusters(), plan.layer(l).o().clusterCount());
        }
    }

    @Test
    void everyClusterIsOneKMeansLabelAndContiguous() {
        DecoderModel fp = DecoderModel.fromWeights(weights);
        ChannelRangeCollector ranges = new ChannelRangeCollector(CONFIG.numLayers());
        for (long[] seq : calibration) {
            fp.forward(ForwardRequest.of(seq, false).withObserver(ranges));
        }
        KMeans kmeans = new KMeans(SETTINGS.restarts(), SETTINGS.seed(), SETTINGS.maxIterations());
        for (int l = 0; l < CONFIG.numLayers(); l++) {
            for (LinearSlot slot : new LinearSlot[] {LinearSlot.QKV, LinearSlot.GATE_UP, LinearSlot.DOWN}) {
                ChannelRanges r = ranges.ranges(l, slot);
                int[] labels = kmeans.labels(r.features(0, r.width()), SETTINGS.clusters());
                ChannelClusters c = plan.layer(l).input(slot);
                int[] starts = c.starts();
                int[] perm = c.perm();
                boolean[] labelSeen = new boolean[SETTINGS.clusters()];
                for (int k = 0; k < c.clusterCount(); k++) {
                    int label = labels[perm[starts[k]]];
                    assertTrue(!labelSeen[label], "label " + label + " split over two runs");
                    labelSeen[label] = true;
                    for (int j = starts[k]; j < starts[k + 1]; j++) {
                        assertEquals(label, labels[perm[j]], "layer " + l + " " + slot + " position " + j);
                    }
                }
            }
        }
    }

    @Test
    void outlierChannelsAreClusteredApart() {
        for (int l = 0; l < CONFIG.numLayers(); l++) {
            ChannelClusters c = plan.layer(l).gateUp();
            int[] perm = c.perm();
            int[] starts = c.starts();
            for (int k = 0; k < c.clusterCount(); k++) {
                int[] members = Arrays.copyOfRange(perm, starts[k], starts[k + 1]);
                long outliers = Arrays.stream(members).filter(ReorderPlanTest::isNormOutlier).count();
                assertTrue(
                        outliers == 0 || outliers == members.length,
                        "layer " + l + " cluster " + Arrays.toString(members) + " mixes outlier and ordinary channels");
            }
        }
    }

    @Test
    void planOfTheWrongShapeIsRejected() {
        ModelConfig wider = ReorderedModels.config(Architecture.QWEN2, 4, 1, true, true, false);
        assertThrows(IllegalArgumentException.class, () -> plan.requireShape(wider));
        assertThrows(IllegalArgumentException.class, () -> new RptqQuantizer(SETTINGS).plan(weights, List.of(new long[0])));
    }

    private static boolean isNormOutlier(int channel) {
        return Arrays.stream(ReorderedModels.NORM_OUTLIERS).anyMatch(o -> o == channel);
    }

    /** Counts of consecutive head blocks: each head's clusters sum exactly to the head width. */
    private static void assertHeadTiling(int[] counts, int heads, int headDim) {
        int head = 0;
        int filled = 0;
        for (int n : counts) {
            filled += n;
            assertTrue(filled <= headDim, "a cluster crosses the end of head " + head);
            if (filled == headDim) {
                head++;
                filled = 0;
            }
        }
        assertEquals(heads, head);
        assertEquals(0, filled);
    }
}
