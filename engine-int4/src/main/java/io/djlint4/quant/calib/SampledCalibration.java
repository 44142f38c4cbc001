package io.djlint4.quant.calib;

import io.djlint4.model.DecoderModel;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.ForwardResult;
import io.djlint4.model.KvCache;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Calibration sequences sampled from the full-precision model itself, for when no calibration
 * text is at hand: data-free calibration as in LLM-QAT, where text the model generates stands in
 * for its training distribution. Every sequence starts at BOS (or at a seeded random token when
 * the model has none) and continues by sampling the model's next-token distribution at
 * temperature 1. The sequences are decoded together as one batch, so the cost is close to that of
 * generating one of them.
 */
public final class SampledCalibration {

    private SampledCalibration() {}

    /**
     * Samples calibration sequences.
     *
     * @param model the full-precision model
     * @param count the number of sequences
     * @param length tokens per sequence, the first token included
     * @param seed the sampling seed; the same seed gives the same sequences
     * @param progress receives the number of tokens generated per sequence so far
     * @return the sequences
     * @throws IllegalArgumentException when {@code count} or {@code length} is not positive
     */
    public static CalibrationSet sample(DecoderModel model, int count, int length, long seed, IntConsumer progress) {
        if (count <= 0 || length <= 0) {
            throw new IllegalArgumentException(
                    "calibration needs a positive count and length, got " + count + " x " + length);
        }
        int vocab = model.config().vocabSize();
        int bos = model.config().bosTokenId();
        SplittableRandom random = new SplittableRandom(seed);
        long[][] sequences = new long[count][length];
        long[] step = new long[count];
        for (int b = 0; b < count; b++) {
            step[b] = bos >= 0 && bos < vocab ? bos : random.nextInt(vocab);
            sequences[b][0] = step[b];
        }
        progress.accept(1);
        KvCache past = null;
        for (int t = 1; t < length; t++) {
            ForwardResult r = model.forward(new ForwardRequest(count, 1, step.clone(), null, null, past, false, null));
            past = r.present();
            for (int b = 0; b < count; b++) {
                step[b] = sampleRow(r.logits(), b * vocab, vocab, random);
                sequences[b][t] = step[b];
            }
            progress.accept(t + 1);
        }
        List<long[]> out = new ArrayList<>(count);
        for (long[] s : sequences) {
            out.add(s);
        }
        return new CalibrationSet(out);
    }

    /** Draws one token from {@code softmax(logits[off .. off+n))}. */
    private static int sampleRow(float[] logits, int off, int n, SplittableRandom random) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logits[off + i]);
        }
        double sum = 0;
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp(logits[off + i] - max);
            sum += p[i];
        }
        double u = random.nextDouble() * sum;
        for (int i = 0; i < n; i++) {
            u -= p[i];
            if (u < 0) {
                return i;
            }
        }
        return n - 1;
    }
}
