package io.djlint4.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * A batch of sequences of different lengths, left-padded with an attention mask and shifted
 * positions, gives each sequence the logits it gets alone, during prefill and cached decoding.
 */
class LeftPaddedBatchTest {

    private static final ModelConfig CONFIG =
            DecoderVsTorchTest.config(Architecture.QWEN2, 4, 2, false, true, false, null);

    @Test
    void paddedBatchMatchesSequencesRunAlone() {
        DecoderModel model = DecoderModel.fromWeights(RandomWeights.of(CONFIG, 11));
        long[] a = {5, 17, 33, 2, 90, 41};
        long[] b = {8, 60, 12};
        int s = a.length;
        int pad = s - b.length;
        long[] ids = new long[2 * s];
        long[] positions = new long[2 * s];
        long[] mask = new long[2 * s];
        for (int i = 0; i < s; i++) {
            ids[i] = a[i];
            positions[i] = i;
            mask[i] = 1;
            ids[s + i] = i < pad ? 0 : b[i - pad];
            positions[s + i] = Math.max(0, i - pad);
            mask[s + i] = i < pad ? 0 : 1;
        }
        ForwardResult batch = model.forward(new ForwardRequest(2, s, ids, positions, mask, null, false, null));
        ForwardResult aloneA = model.forward(ForwardRequest.of(a, false));
        ForwardResult aloneB = model.forward(ForwardRequest.of(b, false));
        int vocab = CONFIG.vocabSize();
        assertRowEquals(aloneA.logits(), 0, batch.logits(), 0, vocab);
        assertRowEquals(aloneB.logits(), 0, batch.logits(), vocab, vocab);

        long[] next = {3, 4};
        long[] nextPositions = {s, s - pad};
        long[] nextMask = new long[2 * (s + 1)];
        System.arraycopy(mask, 0, nextMask, 0, s);
        nextMask[s] = 1;
        System.arraycopy(mask, s, nextMask, s + 1, s);
        nextMask[2 * s + 1] = 1;
        ForwardResult step =
                model.forward(new ForwardRequest(2, 1, next, nextPositions, nextMask, batch.present(), false, null));
        ForwardResult stepA =
                model.forward(ForwardRequest.next(3, aloneA.present()));
        ForwardResult stepB =
                model.forward(ForwardRequest.next(4, aloneB.present()));
        assertRowEquals(stepA.logits(), 0, step.logits(), 0, vocab);
        assertRowEquals(stepB.logits(), 0, step.logits(), vocab, vocab);
    }

    private static void assertRowEquals(float[] expected, int eOff, float[] actual, int aOff, int n) {
        for (int i = 0; i < n; i++) {
            float e = expected[eOff + i];
            assertEquals(e, actual[aOff + i], 1e-5f * Math.max(1f, Math.abs(e)), "logit " + i);
        }
    }
}
