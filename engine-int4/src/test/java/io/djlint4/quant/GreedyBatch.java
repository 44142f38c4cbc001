package io.djlint4.quant;

import io.djlint4.model.DecoderModel;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.ForwardResult;
import io.djlint4.model.KvCache;
import io.djlint4.model.SequenceKvCache;
import io.djlint4.model.SequenceStep;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Greedy decoding of prompts on a {@link DecoderModel}, either one prompt at a time or all in one
 * left-padded batch laid out as the translators' {@code LeftPaddedBatch} lays it out (padding
 * first with mask 0, positions counted from each prompt's first token, one call per step).
 */
final class GreedyBatch {

    private GreedyBatch() {}

    /**
     * Generates for one prompt alone.
     *
     * @param model the model
     * @param prompt the prompt's ids
     * @param steps the number of tokens to generate
     * @return the generated ids
     */
    static long[] alone(DecoderModel model, long[] prompt, int steps) {
        return alone(model, prompt, steps, new float[steps][]);
    }

    /**
     * Generates for one prompt alone and keeps the logits each token was chosen from.
     *
     * @param model the model
     * @param prompt the prompt's ids
     * @param steps the number of tokens to generate
     * @param logits receives the next-token logits of each step
     * @return the generated ids
     */
    static long[] alone(DecoderModel model, long[] prompt, int steps, float[][] logits) {
        int vocab = model.config().vocabSize();
        long[] out = new long[steps];
        ForwardResult r = model.forward(ForwardRequest.of(prompt, false));
        for (int s = 0; s < steps; s++) {
            logits[s] = r.logits().clone();
            out[s] = argmax(r.logits(), 0, vocab);
            if (s + 1 < steps) {
                r = model.forward(ForwardRequest.next(out[s], r.present()));
            }
        }
        return out;
    }

    /**
     * Generates for all prompts in one left-padded batch.
     *
     * @param model the model
     * @param prompts the prompts' ids
     * @param steps the number of tokens to generate for each
     * @return the generated ids, one row per prompt
     */
    static long[][] batched(DecoderModel model, List<long[]> prompts, int steps) {
        return batched(model, prompts, steps, new float[prompts.size()][steps][]);
    }

    /**
     * Generates for all prompts in one left-padded batch and keeps the logits each token was
     * chosen from.
     *
     * @param model the model
     * @param prompts the prompts' ids
     * @param steps the number of tokens to generate for each
     * @param logits receives, per prompt and step, the next-token logits
     * @return the generated ids, one row per prompt
     */
    static long[][] batched(DecoderModel model, List<long[]> prompts, int steps, float[][][] logits) {
        int vocab = model.config().vocabSize();
        int batch = prompts.size();
        int width = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
        long[] ids = new long[batch * width];
        long[] positions = new long[batch * width];
        long[] mask = new long[batch * width];
        for (int b = 0; b < batch; b++) {
            long[] p = prompts.get(b);
            int pad = width - p.length;
            for (int i = 0; i < p.length; i++) {
                ids[b * width + pad + i] = p[i];
                positions[b * width + pad + i] = i;
                mask[b * width + pad + i] = 1;
            }
        }
        ForwardResult r = model.forward(new ForwardRequest(batch, width, ids, positions, mask, null, false, null));
        long[][] out = new long[batch][steps];
        for (int s = 0; s < steps; s++) {
            long[] next = new long[batch];
            for (int b = 0; b < batch; b++) {
                logits[b][s] = Arrays.copyOfRange(r.logits(), b * vocab, (b + 1) * vocab);
                next[b] = argmax(r.logits(), b * vocab, vocab);
                out[b][s] = next[b];
            }
            if (s + 1 == steps) {
                break;
            }
            KvCache past = r.present();
            int total = past.length() + 1;
            long[] nextPositions = new long[batch];
            long[] nextMask = new long[batch * total];
            for (int b = 0; b < batch; b++) {
                int len = prompts.get(b).length;
                nextPositions[b] = len + s;
                for (int i = width - len; i < total; i++) {
                    nextMask[b * total + i] = 1;
                }
            }
            r = model.forward(new ForwardRequest(batch, 1, next, nextPositions, nextMask, past, false, null));
        }
        return out;
    }

    /**
     * Generates for all prompts by continuous batching on {@link DecoderModel#forward(List)}:
     * prompt {@code p} joins at iteration {@code p} (its prefill shares the pass with the others'
     * decode steps), and each sequence leaves after its {@code steps} tokens, while the others go on.
     *
     * @param model the model
     * @param prompts the prompts' ids
     * @param steps the number of tokens to generate for each
     * @param logits receives, per prompt and step, the next-token logits
     * @return the generated ids, one row per prompt
     */
    static long[][] continuous(DecoderModel model, List<long[]> prompts, int steps, float[][][] logits) {
        int vocab = model.config().vocabSize();
        int n = prompts.size();
        long[][] out = new long[n][steps];
        SequenceKvCache[] caches = new SequenceKvCache[n];
        int[] produced = new int[n];
        for (int iteration = 0; ; iteration++) {
            List<SequenceStep> batch = new ArrayList<>();
            List<Integer> members = new ArrayList<>();
            for (int p = 0; p < n && p <= iteration; p++) {
                if (caches[p] == null) {
                    caches[p] = SequenceKvCache.forModel(model.config());
                    batch.add(new SequenceStep(caches[p], prompts.get(p)));
                } else if (produced[p] < steps) {
                    batch.add(new SequenceStep(caches[p], new long[] {out[p][produced[p] - 1]}));
                } else {
                    continue;
                }
                members.add(p);
            }
            if (batch.isEmpty()) {
                return out;
            }
            float[] r = model.forward(batch);
            for (int i = 0; i < members.size(); i++) {
                int p = members.get(i);
                logits[p][produced[p]] = Arrays.copyOfRange(r, i * vocab, (i + 1) * vocab);
                out[p][produced[p]++] = argmax(r, i * vocab, vocab);
            }
        }
    }

    private static long argmax(float[] logits, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (logits[off + i] > logits[off + best]) {
                best = i;
            }
        }
        return best;
    }
}
