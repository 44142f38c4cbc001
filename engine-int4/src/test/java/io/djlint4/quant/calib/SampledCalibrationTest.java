package io.djlint4.quant.calib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.checkpoint.Llama2cCheckpointReader;
import io.djlint4.eval.EvalReport;
import io.djlint4.eval.TextEvaluator;
import io.djlint4.model.DecoderModel;
import io.djlint4.testing.SharedFiles;
import io.djlint4.testing.StoriesReference;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SampledCalibrationTest {

    private static DecoderModel stories;

    @BeforeAll
    static void load() throws IOException {
        stories = DecoderModel.fromWeights(
                Llama2cCheckpointReader.read(SharedFiles.require(StoriesReference.CHECKPOINT), true));
    }

    @Test
    void sequencesStartAtBosAndAreReproducibleForASeed() {
        AtomicInteger progress = new AtomicInteger();
        CalibrationSet a = SampledCalibration.sample(stories, 3, 40, 7, progress::set);
        CalibrationSet b = SampledCalibration.sample(stories, 3, 40, 7, x -> {});
        CalibrationSet other = SampledCalibration.sample(stories, 3, 40, 8, x -> {});
        assertEquals(40, progress.get());
        assertEquals(3, a.count());
        for (int i = 0; i < 3; i++) {
            long[] s = a.sequences().get(i);
            assertEquals(40, s.length);
            assertEquals(stories.config().bosTokenId(), s[0]);
            assertTrue(Arrays.stream(s).allMatch(t -> t >= 0 && t < stories.config().vocabSize()));
            assertArrayEquals(s, b.sequences().get(i));
        }
        assertFalse(Arrays.equals(a.sequences().get(0), other.sequences().get(0)));
        assertFalse(Arrays.equals(a.sequences().get(0), a.sequences().get(1)), "rows sample independently");
    }

    /** Text the model wrote itself is far more likely under it than uniform noise would be. */
    @Test
    void sampledTextLooksLikeTheModelsOwnText() {
        CalibrationSet s = SampledCalibration.sample(stories, 2, 64, 3, x -> {});
        EvalReport r = new TextEvaluator(stories, (DecoderModel) null).evaluate(s.sequences(), x -> {});
        double uniform = Math.log(stories.config().vocabSize());
        assertTrue(r.meanNll() < 0.6 * uniform, "mean NLL " + r.meanNll() + " vs uniform " + uniform);
    }

    @Test
    void rejectsAnEmptyRequest() {
        assertThrows(IllegalArgumentException.class, () -> SampledCalibration.sample(stories, 0, 10, 1, x -> {}));
        assertThrows(IllegalArgumentException.class, () -> SampledCalibration.sample(stories, 2, 0, 1, x -> {}));
    }
}
