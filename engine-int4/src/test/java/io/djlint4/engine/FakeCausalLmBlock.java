package io.djlint4.engine;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractSymbolBlock;
import ai.djl.nn.ParameterList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * An engine-agnostic stand-in for a causal LM with the block contract of the DJL guide (§6):
 * inputs {ids, positions, mask, k0, v0, k1, v1}, outputs {logits [B,S,V], k0, v0, k1, v1 as
 * [B,Hkv,P+S,D], hidden [B,S,H]}, all attached to the ids' manager.
 *
 * <p>The next token after {@code t} at position {@code p} is
 * {@code (t + 1 + c % 3 + p % 2) % VOCAB}, where {@code c} is the sum of the attended tokens so
 * far, read back from the key cache. A wrong cache, mask or position therefore changes the text.
 */
final class FakeCausalLmBlock extends AbstractSymbolBlock {

    static final int VOCAB = 24;
    static final int LAYERS = 2;
    private static final int KV_HEADS = 2;
    private static final int HEAD_DIM = 3;
    private static final int HIDDEN = 4;

    /**
     * Returns the token the fake model prefers after a history of attended tokens.
     *
     * @param history the non-padding tokens so far (positions 0..n-1)
     * @return the most likely next token
     */
    static long nextToken(long[] history) {
        long sum = 0;
        for (long token : history) {
            sum += token;
        }
        long last = history[history.length - 1];
        return (last + 1 + sum % 3 + (history.length - 1) % 2) % VOCAB;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDManager manager = inputs.head().getManager();
        int batch = (int) inputs.get(0).getShape().get(0);
        int seq = (int) inputs.get(0).getShape().get(1);
        long[] ids = inputs.get(0).toLongArray();
        long[] positions = inputs.get(1).toLongArray();
        long[] mask = inputs.get(2).toLongArray();
        int past = inputs.size() > 3 ? (int) inputs.get(3).getShape().get(2) : 0;
        int total = past + seq;
        if (mask.length != batch * total) {
            throw new IllegalStateException("attention mask does not cover past + new tokens");
        }
        float[][] cache = new float[2 * LAYERS][batch * KV_HEADS * total * HEAD_DIM];
        for (int i = 0; i < cache.length; i++) {
            float[] previous = past > 0 ? inputs.get(3 + i).toFloatArray() : new float[0];
            fillCache(cache[i], previous, ids, batch, seq, past, i / 2, i % 2 == 0 ? 1 : -1);
        }
        float[] logits = new float[batch * seq * VOCAB];
        float[] hidden = new float[batch * seq * HIDDEN];
        for (int b = 0; b < batch; b++) {
            long context = 0;
            for (int j = 0; j < past; j++) {
                context += attendedToken(cache[0], mask, b, j, total);
            }
            for (int s = 0; s < seq; s++) {
                context += attendedToken(cache[0], mask, b, past + s, total);
                long token = ids[b * seq + s];
                long target = (token + 1 + context % 3 + positions[b * seq + s] % 2) % VOCAB;
                for (int v = 0; v < VOCAB; v++) {
                    long distance = Math.min(Math.abs(v - target), VOCAB - Math.abs(v - target));
                    logits[(b * seq + s) * VOCAB + v] = -1.5f * distance + 0.01f * ((v * 7) % 5);
                }
                for (int h = 0; h < HIDDEN; h++) {
                    hidden[(b * seq + s) * HIDDEN + h] =
                            (float) Math.cos((token + 1) * (h + 1) * 0.7) + 0.05f * (context % 5);
                }
            }
        }
        NDList outputs = new NDList();
        outputs.add(manager.create(logits, new Shape(batch, seq, VOCAB)));
        for (float[] kv : cache) {
            outputs.add(manager.create(kv, new Shape(batch, KV_HEADS, total, HEAD_DIM)));
        }
        outputs.add(manager.create(hidden, new Shape(batch, seq, HIDDEN)));
        return outputs;
    }

    /** Copies the past cache and appends one entry per new token: {@code sign * (token + tag)}. */
    private static void fillCache(
            float[] cache,
            float[] previous,
            long[] ids,
            int batch,
            int seq,
            int past,
            int layer,
            int sign) {
        int total = past + seq;
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < KV_HEADS; h++) {
                for (int j = 0; j < total; j++) {
                    for (int d = 0; d < HEAD_DIM; d++) {
                        int at = ((b * KV_HEADS + h) * total + j) * HEAD_DIM + d;
                        if (j < past) {
                            cache[at] = previous[((b * KV_HEADS + h) * past + j) * HEAD_DIM + d];
                        } else {
                            long token = ids[b * seq + j - past];
                            cache[at] = sign * (token + 0.25f * layer + 0.01f * h + 0.001f * d);
                        }
                    }
                }
            }
        }
    }

    /** Returns the token at a position as stored in layer 0's keys, or 0 when masked out. */
    private static long attendedToken(float[] keys, long[] mask, int b, int j, int total) {
        if (mask[b * total + j] == 0) {
            return 0;
        }
        return Math.round(keys[(b * KV_HEADS * total + j) * HEAD_DIM]);
    }

    @Override
    public ParameterList getDirectParameters() {
        return new ParameterList();
    }
}
