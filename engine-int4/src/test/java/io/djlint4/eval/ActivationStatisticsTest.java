package io.djlint4.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.model.Architecture;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.LinearSlot;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.RandomWeights;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActivationStatisticsTest {

    @Test
    void findsTheOutlierChannelAndTheMassiveToken() {
        ActivationStatistics stats = new ActivationStatistics();
        float[] x = new float[3 * 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = 1f;
        }
        x[1 * 4 + 2] = -50f;
        x[2 * 4 + 3] = 5f;
        stats.onInput(0, LinearSlot.DOWN, x, 3, 4);
        SlotStatistics s = stats.summarize(2).get(0);
        assertEquals(LinearSlot.DOWN, s.slot());
        assertArrayEquals(new int[] {2, 3}, s.topChannels());
        assertArrayEquals(new float[] {50f, 5f}, s.topChannelMax());
        assertEquals(50f, s.maxTokenAbs());
        assertEquals(1, s.maxToken());
        assertEquals(5f, s.medianTokenMax());
        assertEquals(10.0, s.tokenOutlierRatio(), 1e-9);
    }

    @Test
    void observesEveryLayerAndSlotOfAForwardPass() {
        ModelConfig c = new ModelConfig(Architecture.LLAMA, 16, 24, 3, 2, 1, 8, 20, 1e-5, 1e4, null, 32, true, false, false, 1, new int[] {2});
        DecoderModel m = DecoderModel.fromWeights(RandomWeights.of(c, 5));
        ActivationStatistics stats = new ActivationStatistics();
        m.forward(ForwardRequest.of(new long[] {1, 2, 3, 4}, false).withObserver(stats));
        List<SlotStatistics> all = stats.summarize(3);
        assertEquals(3 * LinearSlot.values().length, all.size());
        for (SlotStatistics s : all) {
            assertTrue(s.maxTokenAbs() > 0, s.toString());
            assertTrue(s.maxToken() >= 0 && s.maxToken() < 4);
        }
        stats.advance(4);
        m.forward(ForwardRequest.of(new long[] {5, 6}, false).withObserver(stats));
        for (SlotStatistics s : stats.summarize(3)) {
            assertEquals(3, s.topChannels().length);
            assertTrue(s.maxToken() >= 0 && s.maxToken() < 6);
        }
    }
}
