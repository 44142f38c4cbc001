package io.djlint4.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.model.Architecture;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.RandomWeights;
import org.junit.jupiter.api.Test;

class GenerationBenchmarkTest {

    private static final ModelConfig SMALL =
            new ModelConfig(Architecture.LLAMA, 32, 64, 2, 4, 2, 8, 50, 1e-5, 1e4, null, 64, true, false, false, 1, new int[] {2});

    @Test
    void reportsPositiveThroughputAndHeap() {
        BenchReport r = new GenerationBenchmark(DecoderModel.fromWeights(RandomWeights.of(SMALL, 1))).run(8, 4, 1);
        assertEquals(8, r.promptTokens());
        assertEquals(4, r.genTokens());
        assertTrue(r.prefillTokensPerSecond() > 0 && Double.isFinite(r.prefillTokensPerSecond()));
        assertTrue(r.decodeTokensPerSecond() > 0 && Double.isFinite(r.decodeTokensPerSecond()));
        assertTrue(r.peakHeapBytes() > 0);
    }

    @Test
    void anEmptyPromptTimesDecodeFromAnEmptyCache() {
        BenchReport r = new GenerationBenchmark(DecoderModel.fromWeights(RandomWeights.of(SMALL, 1))).run(0, 5, 1);
        assertEquals(0, r.promptTokens());
        assertEquals(0.0, r.prefillTokensPerSecond());
        assertTrue(r.decodeTokensPerSecond() > 0 && Double.isFinite(r.decodeTokensPerSecond()));
        assertThrows(IllegalArgumentException.class, () -> new GenerationBenchmark(
                DecoderModel.fromWeights(RandomWeights.of(SMALL, 1))).run(-1, 5, 1));
    }

    @Test
    void aBatchDecodesEverySequenceAndCountsAllTheirTokens() {
        GenerationBenchmark b = new GenerationBenchmark(DecoderModel.fromWeights(RandomWeights.of(SMALL, 1)));
        BenchReport r = b.run(6, 4, 1, 5);
        assertEquals(6, r.promptTokens());
        assertTrue(r.prefillTokensPerSecond() > 0 && Double.isFinite(r.prefillTokensPerSecond()));
        assertTrue(r.decodeTokensPerSecond() > 0 && Double.isFinite(r.decodeTokensPerSecond()));
        assertThrows(IllegalArgumentException.class, () -> b.run(6, 4, 1, 0));
    }

    @Test
    void rejectsRunsLongerThanTheContext() {
        GenerationBenchmark b = new GenerationBenchmark(DecoderModel.fromWeights(RandomWeights.of(SMALL, 1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.run(60, 10, 1));
        assertTrue(e.getMessage().contains("context of 64"), e.getMessage());
    }
}
