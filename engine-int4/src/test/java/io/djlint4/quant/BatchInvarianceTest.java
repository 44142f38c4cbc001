package io.djlint4.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.djlint4.checkpoint.Llama2cCheckpointReader;
import io.djlint4.kernels.Fp4Format;
import io.djlint4.kernels.KernelThreads;
import io.djlint4.kernels.RuntimeSmoothing;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ModelWeights;
import io.djlint4.quant.calib.CalibrationSet;
import io.djlint4.quant.fp4.Fp4Settings;
import io.djlint4.quant.kv.KvCacheSettings;
import io.djlint4.testing.SharedFiles;
import io.djlint4.testing.StoriesReference;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Batching never changes a result: on stories260K, greedy generation for a left-padded batch of
 * prompts of different lengths (two of them identical, one short enough to run on the GEMV
 * kernels alone) gives every prompt the tokens it gets alone, for every recipe family, on the
 * packed kernels and simulated; and so does continuous batching ({@link
 * DecoderModel#forward(List)}: prompts joining while others decode, each over its own cache).
 * Calibrated recipes calibrate on a small set to stay fast.
 */
class BatchInvarianceTest {

    private static final int STEPS = 40;

    private static final long[] ONCE_UPON_A_TIME = {1, 403, 407, 261, 378};

    /** "Once upon a time" twice, then prompts of 2, 3 and 7 tokens. */
    private static final List<long[]> MIXED = List.of(
            ONCE_UPON_A_TIME,
            ONCE_UPON_A_TIME,
            new long[] {1, 66},
            new long[] {1, 300, 301},
            new long[] {1, 410, 410, 13, 410, 64, 410});

    /** Four identical prompts: nothing to pad and equal statistics, yet decode runs four rows per call. */
    private static final List<long[]> IDENTICAL = List.of(ONCE_UPON_A_TIME, ONCE_UPON_A_TIME, ONCE_UPON_A_TIME, ONCE_UPON_A_TIME);

    private static final Fp4Settings FAST_FP4 = new Fp4Settings(Fp4Format.E2M1, 4, 0.6, 1.2, 1, 32);

    private static ModelWeights weights;
    private static CalibrationSet calibration;

    private static int threads;

    @BeforeAll
    static void load() throws IOException {
        // Hundreds of tiny products per token: one thread avoids spinning workers on a busy machine,
        // and the kernels' results do not depend on the thread count.
        threads = KernelThreads.threads();
        KernelThreads.setThreads(1);
        StoriesReference ref = StoriesReference.load();
        weights = Llama2cCheckpointReader.read(SharedFiles.require(StoriesReference.CHECKPOINT), true);
        calibration = CalibrationSet.sample(ref.ids("sample_text"), 4, 48, 0);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "fp32, PACKED",
        "fp32+kv4, PACKED",
        "w4a16, PACKED",
        "w4a8, PACKED",
        "w4a4, PACKED",
        "w4a4+kv4, PACKED",
        "w4a4+rs, PACKED",
        "w4a4+rot, PACKED",
        "w4a4+rrs, PACKED",
        "w4a4+rrs+kv4, PACKED",
        "w4a4+rrs+gptq, PACKED",
        "w4a16+adadim, PACKED",
        "w4a4+rptq+kv4, PACKED",
        "w4a8+asym, PACKED",
        "w4a4+rot+asym, PACKED",
        "w4a4+rrs+asym+kv4, PACKED",
        "w4a4+rrs+asym+auto, PACKED",
        "w4a4+g32+rot+asym+ag32+dq, PACKED",
        "w4a16+g32+dq+auto, PACKED",
        "w4a4+rot+asym, SIMULATED",
        "fp4, PACKED",
        "w4a4+rrs+kv4, SIMULATED",
        "fp4, SIMULATED",
    })
    void batchedGreedyTokensEqualEachPromptAlone(String recipe, Execution execution) {
        DecoderModel model = model(QuantRecipe.parse(recipe), execution);
        Map<List<Long>, Generation> alone = new HashMap<>();
        assertBatchMatchesAlone(model, recipe, MIXED, alone);
        assertBatchMatchesAlone(model, recipe, IDENTICAL, alone);
    }

    /** Tokens first (the promise), then the logits they were chosen from, bit for bit. */
    private static void assertBatchMatchesAlone(
            DecoderModel model, String recipe, List<long[]> prompts, Map<List<Long>, Generation> alone) {
        float[][][] batchedLogits = new float[prompts.size()][STEPS][];
        long[][] batched = GreedyBatch.batched(model, prompts, STEPS, batchedLogits);
        for (int p = 0; p < prompts.size(); p++) {
            long[] prompt = prompts.get(p);
            String what = recipe + ", prompt " + p + " of " + prompts.size() + " " + Arrays.toString(prompt);
            Generation expected = alone.computeIfAbsent(Arrays.stream(prompt).boxed().toList(), k -> {
                float[][] logits = new float[STEPS][];
                return new Generation(GreedyBatch.alone(model, prompt, STEPS, logits), logits);
            });
            assertArrayEquals(expected.tokens(), batched[p], what);
            for (int s = 0; s < STEPS; s++) {
                assertArrayEquals(expected.logits()[s], batchedLogits[p][s], what + ", logits of step " + s);
            }
        }
        float[][][] continuousLogits = new float[prompts.size()][STEPS][];
        long[][] continuous = GreedyBatch.continuous(model, prompts, STEPS, continuousLogits);
        for (int p = 0; p < prompts.size(); p++) {
            long[] prompt = prompts.get(p);
            String what = recipe + ", continuous batching, prompt " + p + " joining at step " + p;
            Generation expected = alone.get(Arrays.stream(prompt).boxed().toList());
            assertArrayEquals(expected.tokens(), continuous[p], what);
            for (int s = 0; s < STEPS; s++) {
                assertArrayEquals(expected.logits()[s], continuousLogits[p][s], what + ", logits of step " + s);
            }
        }
    }

    /** A prompt's greedy tokens and the logits each was chosen from. */
    private record Generation(long[] tokens, float[][] logits) {}

    @AfterAll
    static void restoreThreads() {
        KernelThreads.setThreads(threads);
    }

    private static DecoderModel model(QuantRecipe recipe, Execution execution) {
        // stories260K's 64-wide rows: the coarsest dq grids take 4.72 bits per weight
        RecipeSettings settings = new RecipeSettings(0, 1f, RuntimeSmoothing.GROUP, false).withDfrotIterations(2)
                .withWeightBudget(5.0);
        ModelQuantizer quantizer =
                new ModelQuantizer(settings, KvCacheSettings.DEFAULT, FAST_FP4).withExecution(execution);
        return quantizer.quantize(weights, recipe, recipe.needsCalibration() ? calibration : null);
    }
}
