package io.djlint4.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.checkpoint.Llama2cCheckpointReader;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.LayerWeights;
import io.djlint4.model.ModelWeights;
import io.djlint4.testing.SharedFiles;
import io.djlint4.testing.StoriesReference;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TextEvaluatorTest {

    @Test
    void windowsStartWithBosAndDropTheTail() {
        int[] text = {10, 11, 12, 13, 14, 15, 16};
        List<long[]> w = TokenWindows.split(text, 1, 3, 0);
        assertEquals(3, w.size());
        assertArrayEquals(new long[] {1, 10, 11}, w.get(0));
        assertArrayEquals(new long[] {1, 14, 15}, w.get(2));
        assertEquals(2, TokenWindows.split(text, 1, 3, 2).size());
        assertArrayEquals(new long[] {10, 11, 12}, TokenWindows.split(text, -1, 3, 0).get(0));
    }

    @Test
    void klOfIdenticalDistributionsIsZeroAndPositiveOtherwise() {
        float[] p = {1f, 2f, 3f};
        assertEquals(0, LogProbRows.fromLogits(p, 0, 1, 3).klDivergence(0, p, 0), 1e-7);
        // KL([.5,.5] || [.9,.1]) = .5 ln(.5/.9) + .5 ln(.5/.1)
        float[] half = {0f, 0f};
        float[] skew = {(float) Math.log(9), 0f};
        double expected = 0.5 * Math.log(0.5 / 0.9) + 0.5 * Math.log(0.5 / 0.1);
        assertEquals(expected, LogProbRows.fromLogits(half, 0, 1, 2).klDivergence(0, skew, 0), 1e-6);
    }

    @Test
    void storiesPerplexityMatchesReferenceAndSelfComparisonIsExact() throws IOException {
        StoriesReference ref = StoriesReference.load();
        ModelWeights weights =
                Llama2cCheckpointReader.read(SharedFiles.require(StoriesReference.CHECKPOINT), true);
        DecoderModel model = DecoderModel.fromWeights(weights);
        long[] ids = ref.ids("wikitext2_test_first256");
        AtomicInteger progress = new AtomicInteger();
        EvalReport r = new TextEvaluator(model, DecoderModel.fromWeights(weights)).evaluate(List.of(ids), progress::set);
        double nll = ref.meanNll("wikitext2_test_first256");
        assertEquals(nll, r.meanNll(), 1e-4 * nll);
        assertEquals(Math.exp(nll), r.perplexity(), 1e-3 * Math.exp(nll));
        assertEquals(0, r.klVsReference(), 1e-9);
        assertEquals(1.0, r.top1Agreement());
        assertEquals(ids.length - 1, r.tokens());
        assertEquals(1, progress.get());

        EvalReport perturbed =
                new TextEvaluator(DecoderModel.fromWeights(perturb(weights)), model).evaluate(List.of(ids), x -> {});
        assertTrue(perturbed.klVsReference() > 1e-4, "KL " + perturbed.klVsReference());
        assertTrue(perturbed.top1Agreement() < 1.0, "agreement " + perturbed.top1Agreement());
    }

    @Test
    void precomputedReferenceGivesTheLiveReport() throws IOException {
        ModelWeights weights =
                Llama2cCheckpointReader.read(SharedFiles.require(StoriesReference.CHECKPOINT), true);
        DecoderModel fp = DecoderModel.fromWeights(weights);
        DecoderModel perturbed = DecoderModel.fromWeights(perturb(weights));
        long[] ids = StoriesReference.load().ids("wikitext2_test_first256");
        int[] text = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            text[i] = (int) ids[i];
        }
        List<long[]> windows = TokenWindows.split(text, 1, 64, 3);
        AtomicInteger computed = new AtomicInteger();
        ReferenceLogits cached = ReferenceLogits.compute(fp, windows, computed::set);
        assertEquals(3, computed.get());

        EvalReport live = new TextEvaluator(perturbed, fp).evaluate(windows, x -> {});
        EvalReport fromCache = new TextEvaluator(perturbed, cached).evaluate(windows, x -> {});
        assertEquals(live, fromCache);
        assertTrue(fromCache.klVsReference() > 0);

        List<long[]> others = List.of(windows.get(1), windows.get(0), windows.get(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TextEvaluator(perturbed, cached).evaluate(others, x -> {}));
        assertTrue(e.getMessage().contains("windows differ"), e.getMessage());
    }

    @Test
    void onlyTheScoredPositionsCount() throws IOException {
        ModelWeights weights =
                Llama2cCheckpointReader.read(SharedFiles.require(StoriesReference.CHECKPOINT), true);
        DecoderModel fp = DecoderModel.fromWeights(weights);
        DecoderModel perturbed = DecoderModel.fromWeights(perturb(weights));
        long[] ids = StoriesReference.load().ids("wikitext2_test_first256");
        long[] w0 = Arrays.copyOfRange(ids, 0, 16);
        long[] w1 = Arrays.copyOfRange(ids, 16, 32);
        ScoredWindows windows = new ScoredWindows(List.of(w0, w1), 8);

        // By hand: logits of positions 8..14 predict tokens 9..15 of each window.
        double nll = 0;
        double referenceNll = 0;
        double kl = 0;
        for (long[] w : List.of(w0, w1)) {
            float[] q = perturbed.forward(io.djlint4.model.ForwardRequest.of(w, true)).logits();
            float[] p = fp.forward(io.djlint4.model.ForwardRequest.of(w, true)).logits();
            int v = fp.config().vocabSize();
            for (int pos = 8; pos <= 14; pos++) {
                nll -= io.djlint4.model.LogSoftmax.logProbability(q, pos * v, v, (int) w[pos + 1]);
                referenceNll -= io.djlint4.model.LogSoftmax.logProbability(p, pos * v, v, (int) w[pos + 1]);
                kl += LogProbRows.fromLogits(p, pos, 1, v).klDivergence(0, q, pos * v);
            }
        }
        EvalReport r = new TextEvaluator(perturbed, fp).evaluate(windows, x -> {});
        assertEquals(14, r.tokens());
        assertEquals(nll / 14, r.meanNll(), 1e-9);
        assertEquals(referenceNll / 14, r.referenceMeanNll(), 1e-6);
        assertEquals(kl / 14, r.klVsReference(), 1e-9);
        assertEquals(Math.exp((nll - referenceNll) / 14), r.perplexityRatio(), 1e-5);
        assertEquals(r.klVsReference(), r.klStatistics().mean(), 1e-12);
        assertEquals(r, new TextEvaluator(perturbed, ReferenceLogits.compute(fp, windows, x -> {})).evaluate(windows, x -> {}));
    }

    /** The same model with every first-layer down projection weight scaled by 1.5. */
    private static ModelWeights perturb(ModelWeights w) {
        LayerWeights[] layers = w.layers().clone();
        LayerWeights l0 = layers[0];
        float[] down = Arrays.copyOf(l0.wDown(), l0.wDown().length);
        for (int i = 0; i < down.length; i++) {
            down[i] *= 1.5f;
        }
        layers[0] =
                new LayerWeights(
                        l0.attnNorm(), l0.wq(), l0.wk(), l0.wv(), l0.wo(), l0.bq(), l0.bk(), l0.bv(),
                        l0.qNorm(), l0.kNorm(), l0.ffnNorm(), l0.wGate(), l0.wUp(), down);
        return new ModelWeights(w.config(), w.tokenEmbedding(), layers, w.finalNorm(), w.lmHead());
    }
}
