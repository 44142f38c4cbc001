package io.djlint4.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import io.djlint4.checkpoint.Llama2cCheckpointReader;
import io.djlint4.testing.SharedFiles;
import io.djlint4.testing.StoriesReference;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The full-precision forward pass against the golden outputs of the real stories260K model. */
class StoriesForwardTest {

    private static DecoderModel model;
    private static StoriesReference ref;

    @BeforeAll
    static void load() throws IOException {
        ref = StoriesReference.load();
        model =
                DecoderModel.fromWeights(
                        Llama2cCheckpointReader.read(
                                SharedFiles.require(StoriesReference.CHECKPOINT), true));
    }

    @Test
    void greedyDecodingWithCacheReproducesReferenceIds() {
        long[] expected = ref.ids("greedy_from_bos_100");
        long[] got = new long[expected.length];
        got[0] = expected[0];
        ForwardResult r = model.forward(ForwardRequest.of(new long[] {got[0]}, false));
        for (int i = 1; i < got.length; i++) {
            got[i] = argMax(r.logits(), 0, model.config().vocabSize());
            r =
                    model.forward(
                            ForwardRequest.next(got[i], r.present()));
        }
        assertArrayEquals(expected, got);
    }

    @Test
    void sampleTextNllMatchesReference() {
        assertEquals(ref.meanNll("sample_text"), meanNll(ref.ids("sample_text")), 1e-4);
    }

    @Test
    void wikitextNllMatchesReference() {
        double expected = ref.meanNll("wikitext2_test_first256");
        assertEquals(expected, meanNll(ref.ids("wikitext2_test_first256")), 1e-4 * expected);
    }

    @Test
    void firstPositionLogitsMatchReference() {
        ForwardResult r = model.forward(ForwardRequest.of(new long[] {1}, true));
        JsonArray first16 = ref.section("sample_text").getAsJsonArray("pos0_logits_first16");
        for (int i = 0; i < first16.size(); i++) {
            double e = first16.get(i).getAsDouble();
            assertEquals(e, r.logits()[i], 1e-4 * Math.max(1, Math.abs(e)), "logit " + i);
        }
        JsonArray top10 = ref.section("sample_text").getAsJsonArray("pos0_top10");
        for (int i = 0; i < top10.size(); i++) {
            JsonArray pair = top10.get(i).getAsJsonArray();
            int id = pair.get(0).getAsInt();
            double e = pair.get(1).getAsDouble();
            assertEquals(e, r.logits()[id], 1e-4 * Math.abs(e), "logit of top-" + i + " id " + id);
        }
    }

    @Test
    void cachedDecodingEqualsRecomputingThePrefix() {
        long[] ids = Arrays.copyOf(ref.ids("sample_text"), 20);
        int vocab = model.config().vocabSize();
        ForwardResult full = model.forward(ForwardRequest.of(ids, true));
        ForwardResult step = model.forward(ForwardRequest.of(Arrays.copyOf(ids, 8), false));
        for (int pos = 8; pos < ids.length; pos++) {
            step =
                    model.forward(
                            ForwardRequest.next(ids[pos], step.present()));
            for (int v = 0; v < vocab; v++) {
                float e = full.logits()[pos * vocab + v];
                assertEquals(e, step.logits()[v], 1e-4f * Math.max(1f, Math.abs(e)), "pos " + pos + " id " + v);
            }
        }
    }

    @Test
    void eightBitClassifierStaysCloseToTheFloatOne() {
        DecoderModel int8 = model.withInt8LmHead();
        assertSame(int8, int8.withInt8LmHead(), "a classifier that is no longer float is kept");
        // each weight within half a step (max|w| / 254 of its block) of itself
        assertRoundedClassifierStaysClose(int8, 0.02f, 0.01);
    }

    @Test
    void bfloat16ClassifierStaysCloseToTheFloatOne() {
        DecoderModel bf16 = model.withBf16LmHead();
        assertSame(bf16, bf16.withBf16LmHead(), "a classifier that is no longer float is kept");
        // 8 mantissa bits: each weight within 2^-9 of itself, so logits move by well under 1 % of their range.
        assertRoundedClassifierStaysClose(bf16, 0.01f, 0.005);
    }

    /**
     * The rounded classifier moves some logit, none by more than {@code logitShare} of the largest,
     * keeps 95 % of the top-1 ids and the reference NLL within {@code nllShare}.
     */
    private void assertRoundedClassifierStaysClose(DecoderModel rounded, float logitShare, double nllShare) {
        long[] ids = ref.ids("wikitext2_test_first256");
        int vocab = model.config().vocabSize();
        float[] exact = model.forward(ForwardRequest.of(ids, true)).logits();
        float[] logits = rounded.forward(ForwardRequest.of(ids, true)).logits();
        float largest = 0f;
        float worst = 0f;
        int sameTop = 0;
        for (int p = 0; p < ids.length; p++) {
            sameTop += argMax(exact, p * vocab, vocab) == argMax(logits, p * vocab, vocab) ? 1 : 0;
            for (int v = 0; v < vocab; v++) {
                largest = Math.max(largest, Math.abs(exact[p * vocab + v]));
                worst = Math.max(worst, Math.abs(exact[p * vocab + v] - logits[p * vocab + v]));
            }
        }
        assertTrue(worst > 0f, "the classifier was not rounded");
        assertTrue(worst < logitShare * largest, worst + " vs largest logit " + largest);
        assertTrue(sameTop >= 0.95 * ids.length, sameTop + " of " + ids.length + " top-1 ids agree");
        double nll = ref.meanNll("wikitext2_test_first256");
        assertEquals(nll, meanNll(rounded, ids), nllShare * nll);
    }

    private double meanNll(long[] ids) {
        return meanNll(model, ids);
    }

    private static double meanNll(DecoderModel model, long[] ids) {
        int vocab = model.config().vocabSize();
        ForwardResult r = model.forward(ForwardRequest.of(ids, true));
        double sum = 0;
        for (int p = 0; p + 1 < ids.length; p++) {
            sum += -LogSoftmax.logProbability(r.logits(), p * vocab, vocab, (int) ids[p + 1]);
        }
        return sum / (ids.length - 1);
    }

    private static long argMax(float[] a, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (a[off + i] > a[off + best]) {
                best = i;
            }
        }
        return best;
    }
}
