package io.djlint4.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.modality.nlp.generate.CausalLMOutput;
import ai.djl.modality.nlp.generate.ContrastiveSeqBatchScheduler;
import ai.djl.modality.nlp.generate.SearchConfig;
import ai.djl.modality.nlp.generate.TextGenerator;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.TranslateException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * DJL's TextGenerator (greedy, beam, contrastive) and ContrastiveSeqBatchScheduler run on Int4
 * arrays end to end without touching PyTorch, and produce the same tokens as on PyTorch.
 */
class TextGenerationSmokeTest {

    private static final long PAD = 23;
    private static final int VOCAB = FakeCausalLmBlock.VOCAB;
    private static final long[][] PROMPTS = {{PAD, 3, 5}, {4, 6, 2}};
    private static final int MAX_LENGTH = 10;
    private static final CausalLmTestTranslator TRANSLATOR =
            new CausalLmTestTranslator(FakeCausalLmBlock.LAYERS);

    @Test
    void djlAssertionsAreLive() {
        // contrastive search asserts KV types and manager identity; they must be checked here
        assertTrue(TextGenerator.class.desiredAssertionStatus());
    }

    @ParameterizedTest
    @ValueSource(strings = {"greedy", "beam", "contrastive"})
    void batchedSearchRunsNativelyAndMatchesPyTorch(String search) throws TranslateException {
        SearchConfig config = config();
        long fallbacks = Int4NDManager.fallbackCount();
        long[][] int4 = generate("Int4", search, config, false);
        assertEquals(
                fallbacks,
                Int4NDManager.fallbackCount(),
                "fell back: " + Int4NDManager.fallbackOperations());
        long[][] torch = generate("PyTorch", search, config, false);
        assertArrayEquals(torch, int4);
        int rowsPerPrompt = "beam".equals(search) ? config.getBeam() : 1;
        assertEquals(PROMPTS.length * rowsPerPrompt, int4.length);
        for (int p = 0; p < PROMPTS.length; p++) {
            for (int r = p * rowsPerPrompt; r < (p + 1) * rowsPerPrompt; r++) {
                assertEquals(MAX_LENGTH, int4[r].length);
                assertArrayEquals(PROMPTS[p], Arrays.copyOf(int4[r], PROMPTS[p].length));
                assertTrue(Arrays.stream(int4[r]).allMatch(t -> t >= 0 && t < VOCAB));
            }
            if ("greedy".equals(search)) {
                assertArrayEquals(expectedGreedy(PROMPTS[p]), int4[p], "greedy prompt " + p);
            } else if ("beam".equals(search)) {
                // beams come back in PyTorch's unsorted top-k order; the greedy path is the best
                long[] greedy = expectedGreedy(PROMPTS[p]);
                assertTrue(containsRow(int4, p * rowsPerPrompt, rowsPerPrompt, greedy));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"greedy", "beam", "contrastive"})
    void djlExampleStyleInputRunsNatively(String search) throws TranslateException {
        SearchConfig config = config();
        long fallbacks = Int4NDManager.fallbackCount();
        long[][] int4 = generate("Int4", search, config, true);
        assertEquals(fallbacks, Int4NDManager.fallbackCount());
        assertArrayEquals(generate("PyTorch", search, config, true), int4);
        if (!"contrastive".equals(search)) {
            assertTrue(containsRow(int4, 0, int4.length, expectedGreedy(PROMPTS[1])));
        }
    }

    @Test
    void contrastiveSchedulerMergesRequestsNatively() throws TranslateException {
        SearchConfig config = config();
        config.setMaxSeqLength(7);
        long fallbacks = Int4NDManager.fallbackCount();
        Map<Long, long[]> int4 = schedule("Int4", config);
        assertEquals(
                fallbacks,
                Int4NDManager.fallbackCount(),
                "fell back: " + Int4NDManager.fallbackOperations());
        Map<Long, long[]> torch = schedule("PyTorch", config);
        assertEquals(torch.keySet(), int4.keySet());
        assertEquals(3, int4.size());
        for (long uid : torch.keySet()) {
            assertArrayEquals(torch.get(uid), int4.get(uid), "request " + uid);
        }
    }

    private static SearchConfig config() {
        SearchConfig config = new SearchConfig();
        config.setMaxSeqLength(MAX_LENGTH);
        config.setPadTokenId(PAD);
        config.setBeam(3);
        config.setK(4);
        return config;
    }

    /** Runs TextGenerator; the DJL example style builds one prompt with create + expandDims. */
    private static long[][] generate(
            String engine, String search, SearchConfig config, boolean exampleStyle)
            throws TranslateException {
        try (Model model = Model.newInstance("fake", Device.cpu(), engine)) {
            model.setBlock(new FakeCausalLmBlock());
            try (Predictor<NDList, CausalLMOutput> predictor = model.newPredictor(TRANSLATOR);
                    NDManager manager = model.getNDManager().newSubManager()) {
                NDArray ids =
                        exampleStyle
                                ? manager.create(PROMPTS[1]).expandDims(0)
                                : manager.create(PROMPTS);
                TextGenerator generator = new TextGenerator(predictor, search, config);
                NDArray output = generator.generate(ids);
                if ("Int4".equals(engine)) {
                    assertTrue(output instanceof Int4NDArray, "the result stays an Int4 array");
                }
                return rows(output);
            }
        }
    }

    private static Map<Long, long[]> schedule(String engine, SearchConfig config)
            throws TranslateException {
        try (Model model = Model.newInstance("fake", Device.cpu(), engine)) {
            model.setBlock(new FakeCausalLmBlock());
            try (Predictor<NDList, CausalLMOutput> predictor = model.newPredictor(TRANSLATOR);
                    NDManager manager = model.getNDManager().newSubManager()) {
                ContrastiveSeqBatchScheduler scheduler =
                        new ContrastiveSeqBatchScheduler(predictor, config);
                scheduler.addRequest(
                        manager.create(new long[][] {{3, 5, 7}}), manager.create(new long[] {1}));
                scheduler.incrementForward(2);
                scheduler.addRequest(
                        manager.create(new long[][] {{4, 6}, {8, 9}}),
                        manager.create(new long[] {2, 3}));
                boolean drained = scheduler.incrementForward(20);
                assertTrue(drained, "all requests finish");
                Map<Long, long[]> results = new TreeMap<>();
                scheduler
                        .collectResults()
                        .forEach((uid, ids) -> results.put(uid, ids.toLongArray()));
                return results;
            }
        }
    }

    private static long[][] rows(NDArray output) {
        int rows = (int) output.getShape().get(0);
        int columns = (int) output.getShape().get(1);
        long[] flat = output.toLongArray();
        long[][] result = new long[rows][];
        for (int r = 0; r < rows; r++) {
            result[r] = Arrays.copyOfRange(flat, r * columns, (r + 1) * columns);
        }
        return result;
    }

    private static boolean containsRow(long[][] rows, int from, int count, long[] row) {
        for (int r = from; r < from + count; r++) {
            if (Arrays.equals(rows[r], row)) {
                return true;
            }
        }
        return false;
    }

    /** Greedy decoding of the fake model, computed without any NDArray. */
    private static long[] expectedGreedy(long[] prompt) {
        long[] history = Arrays.stream(prompt).filter(t -> t != PAD).toArray();
        long[] row = Arrays.copyOf(prompt, MAX_LENGTH);
        for (int i = prompt.length; i < MAX_LENGTH; i++) {
            long next = FakeCausalLmBlock.nextToken(history);
            row[i] = next;
            history = Arrays.copyOf(history, history.length + 1);
            history[history.length - 1] = next;
        }
        return row;
    }
}
