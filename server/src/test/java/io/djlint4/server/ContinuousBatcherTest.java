package io.djlint4.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.generation.GenerationConfig;
import io.djlint4.generation.GenerationResult;
import io.djlint4.generation.SamplingConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The scheduler driven from Java, as an application that embeds it does. */
class ContinuousBatcherTest {

    private static StoriesModel stories;

    @BeforeAll
    static void load() throws Exception {
        stories = StoriesModel.load();
    }

    private static ContinuousBatcher batcher(int maxBatch, int maxQueue, Duration timeout) {
        return new ContinuousBatcher(stories.decoder, stories.tokenizer, maxBatch, maxQueue, timeout, new ServerMetrics());
    }

    @Test
    void concurrentGreedyGenerationsEqualEachPromptAlone() throws Exception {
        String[] prompts = {"Once upon a time", "The cat", "Lily and Ben went to the park", "A", "Tom had a big red ball"};
        try (ContinuousBatcher batcher = batcher(4, 16, Duration.ofMinutes(1))) {
            List<CompletableFuture<GenerationResult>> futures = new ArrayList<>();
            for (String p : prompts) {
                futures.add(batcher.generate(stories.encode(p),
                        GenerationConfig.of(30, SamplingConfig.GREEDY, stories.tokenizer.eosIds())));
            }
            for (int i = 0; i < prompts.length; i++) {
                GenerationResult got = futures.get(i).get(60, TimeUnit.SECONDS);
                GenerationResult expected = stories.alone(stories.encode(prompts[i]), 30);
                assertArrayEquals(expected.tokens(), got.tokens(), prompts[i]);
                assertEquals(expected.text(), got.text(), prompts[i]);
            }
        }
    }

    @Test
    void sampledGenerationsWithTheSameSeedAgreeWhateverRunsBeside() throws Exception {
        GenerationConfig seeded = GenerationConfig.of(25, new SamplingConfig(0.9, 0, 0.95, 1, 7), stories.tokenizer.eosIds());
        try (ContinuousBatcher batcher = batcher(8, 8, Duration.ofMinutes(1))) {
            GenerationResult alone = batcher.generate(stories.encode("Once upon a time"), seeded).get(60, TimeUnit.SECONDS);
            CompletableFuture<GenerationResult> other = batcher.generate(stories.encode("The dog"),
                    GenerationConfig.of(25, new SamplingConfig(1.0, 0, 1, 1, 1), stories.tokenizer.eosIds()));
            CompletableFuture<GenerationResult> again = batcher.generate(stories.encode("Once upon a time"), seeded);
            assertArrayEquals(alone.tokens(), again.get(60, TimeUnit.SECONDS).tokens());
            other.get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFullQueueRefusesAtOnceAndACancelledSequenceFreesItsSlot() throws Exception {
        try (ContinuousBatcher batcher = batcher(1, 0, Duration.ofMinutes(1))) {
            BrakeListener brake = new BrakeListener(20);
            GenerationHandle running = batcher.submit(stories.encode("Once upon a time"),
                    GenerationConfig.of(400, SamplingConfig.GREEDY), brake);
            brake.awaitText();
            assertThrows(QueueFullException.class, () -> batcher.submit(stories.encode("The cat"),
                    GenerationConfig.of(5, SamplingConfig.GREEDY), brake));
            running.cancel();
            assertEquals(GenerationFailure.Kind.CANCELLED, brake.failure().get(30, TimeUnit.SECONDS).kind());
            assertEquals(0, batcher.inFlight());
            GenerationResult next = batcher.generate(stories.encode("The cat"), GenerationConfig.of(5, SamplingConfig.GREEDY))
                    .get(30, TimeUnit.SECONDS);
            assertEquals(5, next.tokens().length);
        }
    }

    @Test
    void aRequestPastTheTimeoutEndsWithATimeoutFailure() throws Exception {
        try (ContinuousBatcher batcher = batcher(4, 4, Duration.ofMillis(300))) {
            BrakeListener brake = new BrakeListener(20);
            batcher.submit(stories.encode("Once upon a time"), GenerationConfig.of(400, SamplingConfig.GREEDY), brake);
            CompletableFuture<GenerationResult> beside = batcher.generate(
                    stories.encode("The cat"), GenerationConfig.of(400, SamplingConfig.GREEDY));
            assertEquals(GenerationFailure.Kind.TIMEOUT, brake.failure().get(30, TimeUnit.SECONDS).kind());
            ExecutionException e = assertThrows(ExecutionException.class, () -> beside.get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof GenerationFailure f && f.kind() == GenerationFailure.Kind.TIMEOUT,
                    String.valueOf(e.getCause()));
        }
    }

    @Test
    void closeLetsRunningSequencesFinishAndRefusesNewOnes() throws Exception {
        ContinuousBatcher batcher = batcher(4, 4, Duration.ofMinutes(1));
        CompletableFuture<GenerationResult> running = batcher.generate(stories.encode("Once upon a time"),
                GenerationConfig.of(60, SamplingConfig.GREEDY));
        batcher.close();
        assertEquals(60, running.get(1, TimeUnit.SECONDS).tokens().length);
        assertThrows(IllegalStateException.class, () -> batcher.generate(stories.encode("A"),
                GenerationConfig.of(5, SamplingConfig.GREEDY)));
    }
}
