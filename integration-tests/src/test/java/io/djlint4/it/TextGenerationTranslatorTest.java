package io.djlint4.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.inference.streaming.ChunkedBytesSupplier;
import ai.djl.inference.streaming.StreamingTranslator;
import ai.djl.repository.zoo.Criteria;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import io.djlint4.generation.GenerationConfig;
import io.djlint4.generation.GenerationLoop;
import io.djlint4.generation.GenerationResult;
import io.djlint4.generation.SamplingConfig;
import io.djlint4.testing.SharedFiles;
import io.djlint4.testing.StoriesReference;
import io.djlint4.translator.BlockLogitsSource;
import io.djlint4.translator.GenerationArguments;
import io.djlint4.translator.TextGenerationSettings;
import io.djlint4.translator.TextChunksTranslator;
import io.djlint4.translator.TextGenerationTranslator;
import io.djlint4.translator.TextGenerationTranslatorFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code String -> String} generation through {@code Criteria} with an explicit {@link
 * TextGenerationTranslatorFactory} on stories260K: greedy output is the reference continuation,
 * streamed pieces (listener or DJL's streaming API) add up to the returned text, a batch gives
 * each prompt what it gets alone, and sampling follows its seed.
 */
class TextGenerationTranslatorTest {

    private static String referenceText;
    private static ZooModel<String, String> model;

    @BeforeAll
    static void load() throws Exception {
        StoriesReference ref = StoriesReference.load();
        referenceText = ref.section("greedy_from_bos_100").get("text").getAsString();
        int referenceTokens = ref.ids("greedy_from_bos_100").length - 1; // after BOS
        model = Criteria.builder()
                .setTypes(String.class, String.class)
                .optModelPath(SharedFiles.require(StoriesReference.CHECKPOINT))
                .optEngine("Int4")
                .optOption("quantization", "fp32")
                .optTranslatorFactory(new TextGenerationTranslatorFactory())
                .optArguments(Map.of("maxNewTokens", referenceTokens, "temperature", 0))
                .build()
                .loadModel();
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void greedyGenerationFromAnEmptyPromptIsTheReferenceContinuation() throws Exception {
        try (Predictor<String, String> predictor = model.newPredictor()) {
            assertEquals(referenceText, predictor.predict(""));
        }
    }

    @Test
    void aPromptIsContinuedNotRepeated() throws Exception {
        String prompt = "Once upon a time, there was a little girl named Lily.";
        assertTrue(referenceText.startsWith(prompt), "the prompt is the start of the reference");
        try (Predictor<String, String> predictor = model.newPredictor()) {
            String continuation = predictor.predict(prompt);
            assertFalse(continuation.isEmpty());
            assertFalse(continuation.startsWith(prompt), continuation);
            // Greedy decoding after the reference's own prefix follows the reference.
            String expected = referenceText.substring(prompt.length());
            String common = continuation.substring(0, Math.min(40, continuation.length()));
            assertTrue(expected.startsWith(common), () -> "'" + continuation + "' does not continue the reference");
        }
    }

    @Test
    void streamedPiecesConcatenateToTheReturnedText() throws Exception {
        List<String> pieces = new ArrayList<>();
        TextGenerationTranslator streaming = ((TextGenerationTranslator) model.getTranslator()).streaming(pieces::add);
        try (Predictor<String, String> predictor = model.newPredictor(streaming)) {
            String text = predictor.predict("");
            assertEquals(referenceText, text);
            assertTrue(pieces.size() > 10, "pieces arrive one by one: " + pieces.size());
            assertEquals(text, String.join("", pieces));
        }
    }

    @Test
    void samplingIsReproducibleWithASeedAndChangesWithAnother() throws Exception {
        TextGenerationTranslator base = (TextGenerationTranslator) model.getTranslator();
        String first = sample(base, 7);
        assertEquals(first, sample(base, 7));
        assertNotEquals(first, sample(base, 8));
        assertNotEquals(referenceText, first, "temperature 1.5 leaves the greedy path");
    }

    @Test
    void aNullPromptIsAClearError() throws Exception {
        try (Predictor<String, String> predictor = model.newPredictor()) {
            TranslateException e = assertThrows(TranslateException.class, () -> predictor.predict(null));
            Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
            assertTrue(cause.getMessage().contains("the prompt is null; give a string"), e::toString);
            assertTrue(cause instanceof IllegalArgumentException, e::toString);
        }
    }

    @Test
    void generationStopsWhenTheContextIsFull() throws Exception {
        int context = Integer.parseInt(model.getProperty("maxPositionEmbeddings"));
        TextGenerationTranslator base = (TextGenerationTranslator) model.getTranslator();
        TextGenerationSettings unbounded = new TextGenerationSettings(
                context + 100, base.getSettings().sampling(), false, List.of());
        try (Predictor<String, String> predictor = model.newPredictor(base.withSettings(unbounded))) {
            String text = predictor.predict("");
            assertTrue(text.startsWith(referenceText), text);
            // Re-encoding text need not give the generated ids back exactly, hence the slack.
            int generated = base.getTokenizer().encode(text, false).length;
            assertTrue(generated > context - 20, "generated about " + generated + " of " + (context - 1) + " tokens");
            String tooLong = "Once upon a time ".repeat(context);
            TranslateException e = assertThrows(TranslateException.class, () -> predictor.predict(tooLong));
            assertTrue(e.getMessage().contains("fills the model's context of " + context), e.getMessage());
        }
    }

    @Test
    void blockLogitsSourceDrivesTheGenerationLoopToTheReferenceIds() throws Exception {
        long[] reference = StoriesReference.load().ids("greedy_from_bos_100");
        TextGenerationTranslator translator = (TextGenerationTranslator) model.getTranslator();
        GenerationConfig config = GenerationConfig.of(reference.length - 1, SamplingConfig.GREEDY);
        try (NDManager manager = model.getNDManager().newSubManager();
                BlockLogitsSource source = new BlockLogitsSource(model.getBlock(), manager)) {
            GenerationResult result = new GenerationLoop(source, translator.getTokenizer())
                    .generate(new int[] {1}, config, piece -> { });
            long[] expected = Arrays.copyOfRange(reference, 1, reference.length);
            assertArrayEquals(expected, Arrays.stream(result.tokens()).asLongStream().toArray());
            assertEquals(reference.length, source.length() + 1, "the last token is not fed back");
        }
    }

    @Test
    void aBatchOfPromptsOfDifferentLengthsGivesEachPromptItsOwnGreedyText() throws Exception {
        List<String> prompts = List.of(
                "Once upon a time",
                "Lily and Tom went to the park. They saw a big dog and",
                "The cat");
        TextGenerationTranslator base = (TextGenerationTranslator) model.getTranslator();
        int[] lengths = prompts.stream().mapToInt(p -> base.getTokenizer().encode(p, true).length).toArray();
        assertTrue(lengths[0] != lengths[1] && lengths[1] != lengths[2], Arrays.toString(lengths));
        TextGenerationSettings settings = new TextGenerationSettings(40, SamplingConfig.GREEDY, false, List.of());
        try (Predictor<String, String> predictor = model.newPredictor(base.withSettings(settings))) {
            List<String> batch = predictor.batchPredict(prompts);
            assertEquals(prompts.size(), batch.size());
            for (int i = 0; i < prompts.size(); i++) {
                assertEquals(predictor.predict(prompts.get(i)), batch.get(i), "prompt " + i);
            }
            assertEquals(3, new HashSet<>(batch).size(), "different prompts, different texts: " + batch);
        }
    }

    @Test
    void eachSequenceOfABatchStopsAtItsOwnStopString() throws Exception {
        List<String> prompts = List.of("Once upon a time", "One day, a little boy named Tim", "The sun");
        TextGenerationTranslator base = (TextGenerationTranslator) model.getTranslator();
        TextGenerationSettings settings = new TextGenerationSettings(60, SamplingConfig.GREEDY, false, List.of("."));
        try (Predictor<String, String> predictor = model.newPredictor(base.withSettings(settings))) {
            List<String> batch = predictor.batchPredict(prompts);
            for (int i = 0; i < prompts.size(); i++) {
                assertFalse(batch.get(i).contains("."), batch.get(i));
                assertEquals(predictor.predict(prompts.get(i)), batch.get(i), "prompt " + i);
            }
            assertTrue(batch.stream().mapToInt(String::length).distinct().count() > 1,
                    "sequences stop at different steps: " + batch);
        }
    }

    @Test
    void aListenerTranslatorRefusesToMixTheTextOfSeveralPrompts() throws Exception {
        TextGenerationTranslator streaming = ((TextGenerationTranslator) model.getTranslator()).streaming(piece -> { });
        try (Predictor<String, String> predictor = model.newPredictor(streaming)) {
            TranslateException e = assertThrows(TranslateException.class, () -> predictor.batchPredict(List.of("a", "b")));
            assertTrue(e.getMessage().contains("one at a time"), e.getMessage());
        }
    }

    @Test
    void streamingPredictHandsOutTheGreedyTextChunkByChunk() throws Exception {
        TextChunksTranslator chunked = ((TextGenerationTranslator) model.getTranslator()).chunked();
        try (Predictor<String, ChunkedBytesSupplier> predictor = model.newPredictor(chunked)) {
            assertTrue(predictor.supportsStreaming());
            ChunkedBytesSupplier chunks = predictor.streamingPredict("").getIterativeOutput();
            StringBuilder text = new StringBuilder();
            int count = 0;
            while (chunks.hasNext()) {
                text.append(new String(chunks.nextChunk(1, TimeUnit.SECONDS), StandardCharsets.UTF_8));
                count++;
            }
            assertEquals(referenceText, text.toString());
            assertTrue(count > 10, "chunks arrive one by one: " + count);
            assertEquals(referenceText, new String(predictor.predict("").getAsBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void criteriaWithChunkedOutputMakesTheStreamingTranslator() throws Exception {
        int referenceTokens = StoriesReference.load().ids("greedy_from_bos_100").length - 1;
        try (ZooModel<String, ChunkedBytesSupplier> chunked = Criteria.builder()
                        .setTypes(String.class, ChunkedBytesSupplier.class)
                        .optModelPath(SharedFiles.require(StoriesReference.CHECKPOINT))
                        .optEngine("Int4")
                        .optOption("quantization", "fp32")
                        .optTranslatorFactory(new TextGenerationTranslatorFactory())
                        .optArguments(Map.of("maxNewTokens", referenceTokens))
                        .build()
                        .loadModel();
                Predictor<String, ChunkedBytesSupplier> predictor = chunked.newPredictor()) {
            ChunkedBytesSupplier chunks = predictor.streamingPredict("").getIterativeOutput();
            assertEquals(referenceText, new String(chunks.getAsBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void asyncStreamingFillsTheSupplierFromAnotherThread() throws Exception {
        TextChunksTranslator chunked = ((TextGenerationTranslator) model.getTranslator()).chunked();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (Predictor<String, ChunkedBytesSupplier> predictor = model.newPredictor(chunked)) {
            StreamingTranslator.StreamOutput<ChunkedBytesSupplier> output = predictor.streamingPredict("");
            ChunkedBytesSupplier chunks = output.getAsyncOutput();
            Future<?> producer = executor.submit(output::computeAsyncOutput);
            StringBuilder text = new StringBuilder();
            while (chunks.hasNext()) {
                text.append(new String(chunks.nextChunk(1, TimeUnit.MINUTES), StandardCharsets.UTF_8));
            }
            producer.get();
            assertEquals(referenceText, text.toString());
        } finally {
            executor.shutdown();
        }
    }

    private static String sample(TextGenerationTranslator base, long seed) throws Exception {
        TextGenerationSettings settings = GenerationArguments.parse(
                Map.of("maxNewTokens", 40, "temperature", 1.5, "topK", 50, "seed", seed), key -> null);
        try (Predictor<String, String> predictor = model.newPredictor(base.withSettings(settings))) {
            return predictor.predict("");
        }
    }
}
