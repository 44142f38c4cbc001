package io.djlint4.model;

import io.djlint4.kernels.RowGroups;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * A LLaMA/Qwen-family decoder ready to run: embedding, decoder layers, final norm and classifier.
 * It holds no per-request state, so one instance serves concurrent callers; the KV cache travels
 * in and out of {@link #forward}.
 */
public final class DecoderModel {

    private final ModelConfig config;
    private final TokenEmbedding tokenEmbedding;
    private final DecoderLayer[] layers;
    private final RmsNorm finalNorm;
    private final LinearLayer lmHead;
    private final RotaryEmbedding rope;

    /**
     * Creates a model from its parts, with a float embedding table.
     *
     * @param config the model configuration
     * @param tokenEmbedding the embedding table {@code [vocab, hidden]}
     * @param layers the decoder layers
     * @param finalNorm the final norm
     * @param lmHead the classifier
     * @param rope the rotary embedding
     */
    public DecoderModel(
            ModelConfig config,
            float[] tokenEmbedding,
            DecoderLayer[] layers,
            RmsNorm finalNorm,
            LinearLayer lmHead,
            RotaryEmbedding rope) {
        this(config, TokenEmbedding.of(tokenEmbedding, config.hiddenSize()), layers, finalNorm, lmHead, rope);
    }

    /**
     * Creates a model from its parts.
     *
     * @param config the model configuration
     * @param tokenEmbedding the embedding table {@code [vocab, hidden]}
     * @param layers the decoder layers
     * @param finalNorm the final norm
     * @param lmHead the classifier
     * @param rope the rotary embedding
     */
    public DecoderModel(
            ModelConfig config,
            TokenEmbedding tokenEmbedding,
            DecoderLayer[] layers,
            RmsNorm finalNorm,
            LinearLayer lmHead,
            RotaryEmbedding rope) {
        if (layers.length != config.numLayers()) {
            throw new IllegalArgumentException(
                    layers.length + " layers given, config says " + config.numLayers());
        }
        this.config = config;
        this.tokenEmbedding = tokenEmbedding;
        this.layers = layers.clone();
        this.finalNorm = finalNorm;
        this.lmHead = lmHead;
        this.rope = rope;
    }

    /**
     * Creates a full-precision model from loaded weights.
     *
     * @param weights the weights
     * @return the model
     */
    public static DecoderModel fromWeights(ModelWeights weights) {
        return fromWeights(weights, LinearFactory.DENSE);
    }

    /**
     * Creates a model whose projections are built by a factory; the classifier stays full
     * precision, as in the methods this engine implements.
     *
     * @param weights the weights
     * @param linears builds each decoder projection
     * @return the model
     */
    public static DecoderModel fromWeights(ModelWeights weights, LinearFactory linears) {
        return fromWeights(weights, linears, KvCacheScheme.FULL_PRECISION);
    }

    /**
     * Creates a model whose projections are built by a factory and whose layers treat queries,
     * keys and values between rope and the cache as a scheme says (a 4-bit cache, R3). The cache
     * still travels as float arrays; with a quantizer they hold the rounded values attention used.
     *
     * @param weights the weights
     * @param linears builds each decoder projection
     * @param kvScheme the per-head rotation and the cache quantizer of every layer
     * @return the model
     */
    public static DecoderModel fromWeights(ModelWeights weights, LinearFactory linears, KvCacheScheme kvScheme) {
        return fromWeights(weights, linears, layer -> kvScheme);
    }

    /**
     * Creates a model whose projections are built by a factory and whose layers each treat
     * queries, keys and values as their own scheme says (a cache quantizer with per-layer
     * calibrated grids, as RPTQ's).
     *
     * @param weights the weights
     * @param linears builds each decoder projection
     * @param kvSchemes the scheme of each decoder layer, by layer index
     * @return the model
     */
    public static DecoderModel fromWeights(
            ModelWeights weights, LinearFactory linears, IntFunction<KvCacheScheme> kvSchemes) {
        ModelConfig c = weights.config();
        DecoderLayer[] layers = new DecoderLayer[c.numLayers()];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = DecoderLayer.fromWeights(c, l, weights.layers()[l], linears, kvSchemes.apply(l));
        }
        return new DecoderModel(
                c,
                weights.tokenEmbedding(),
                layers,
                new RmsNorm(weights.finalNorm(), c.rmsNormEps()),
                new DenseLinear(weights.lmHead(), null, c.vocabSize(), c.hiddenSize()),
                weights.rotaryEmbedding());
    }

    /**
     * Returns this model with its full-precision classifier stored in bfloat16: half the bytes,
     * which decode reads in full for every token (the classifier is the largest matrix of small
     * models), at the cost of rounding each weight to 8 mantissa bits. The papers keep it in 16
     * bits too. A quantized classifier (LLM-FP4's) is kept as it is.
     *
     * @return the model, or this one when its classifier is not full precision
     */
    public DecoderModel withBf16LmHead() {
        if (!(lmHead instanceof DenseLinear dense)) {
            return this;
        }
        return new DecoderModel(config, tokenEmbedding, layers, finalNorm, dense.toBf16(), rope);
    }

    /**
     * Returns this model with a full-precision classifier rounded to 8 bits per block of 32 ({@link
     * DenseLinear#toInt8()}); a quantized classifier is kept as it is.
     *
     * @return the model with the 8-bit classifier
     */
    public DecoderModel withInt8LmHead() {
        if (!(lmHead instanceof DenseLinear dense)) {
            return this;
        }
        return new DecoderModel(config, tokenEmbedding, layers, finalNorm, dense.toInt8(), rope);
    }

    /**
     * Counts the weights of the decoder projections and the bits they occupy as built (codes,
     * scales and zero points), for the bits per weight a recipe reports.
     *
     * @return the footprint of every layer's q, k, v, o, gate, up and down projections
     */
    public LinearFootprint linearFootprint() {
        LinearFootprint f = new LinearFootprint(0, 0);
        for (DecoderLayer l : layers) {
            f = f.plus(l.linearFootprint());
        }
        return f;
    }

    /**
     * Returns the model configuration.
     *
     * @return the configuration
     */
    public ModelConfig config() {
        return config;
    }

    /**
     * Runs the decoder on new tokens.
     *
     * @param req the tokens, positions, mask and past cache
     * @return logits, the extended cache and the final hidden states
     */
    public ForwardResult forward(ForwardRequest req) {
        KvCache past = req.past();
        if (past != null
                && (past.layers() != layers.length
                        || past.kvHeads() != config.numKvHeads()
                        || past.headDim() != config.headDim())) {
            throw new IllegalArgumentException(
                    "past key/values have "
                            + past.layers()
                            + " layers of [kvHeads="
                            + past.kvHeads()
                            + ", headDim="
                            + past.headDim()
                            + "], the model needs "
                            + layers.length
                            + " layers of [kvHeads="
                            + config.numKvHeads()
                            + ", headDim="
                            + config.headDim()
                            + "]");
        }
        int batch = req.batch();
        int seqLen = req.seqLen();
        int rows = batch * seqLen;
        int hidden = config.hiddenSize();
        int total = req.pastLength() + seqLen;

        float[] x = embed(req.tokenIds());
        int kvLen = batch * config.numKvHeads() * total * config.headDim();
        float[][] keys = new float[layers.length][];
        float[][] values = new float[layers.length][];
        for (int l = 0; l < layers.length; l++) {
            keys[l] = new float[kvLen];
            values[l] = new float[kvLen];
            float[] pk = past == null ? null : past.keys(l);
            float[] pv = past == null ? null : past.values(l);
            layers[l].forward(l, x, req, rope, pk, pv, keys[l], values[l]);
        }
        finalNorm.apply(x, 0, x, 0, rows);

        int positions = req.allLogits() ? seqLen : 1;
        float[] head;
        if (positions == seqLen) {
            head = x;
        } else {
            head = new float[batch * hidden];
            for (int b = 0; b < batch; b++) {
                System.arraycopy(x, ((b + 1) * seqLen - 1) * hidden, head, b * hidden, hidden);
            }
        }
        float[] logits = new float[batch * positions * config.vocabSize()];
        lmHead.forward(head, positions == seqLen ? req.rowGroups() : RowGroups.uniform(batch, 1), logits);
        KvCache present =
                new KvCache(batch, config.numKvHeads(), total, config.headDim(), keys, values);
        return new ForwardResult(logits, positions, present, x);
    }

    /**
     * Runs the new tokens of several sequences in one pass, each continuing its own cache: the
     * iteration step of continuous batching, where one sequence's prompt and other sequences'
     * next tokens share the projections. Each sequence gets, bit for bit, the logits it gets
     * alone (from this method or from {@link #forward(ForwardRequest)}), whatever else is in the
     * call. Every cache is extended in place by its new tokens, and only when the whole pass
     * succeeded.
     *
     * @param steps the sequences, each with its own cache and at least one new token
     * @return the logits after each sequence's last new token, {@code [steps.size(), vocab]}
     * @throws IllegalArgumentException for no sequence, a cache used twice or shaped for another
     *     model, or a token outside the vocabulary
     */
    public float[] forward(List<SequenceStep> steps) {
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("no sequence to run");
        }
        Set<SequenceKvCache> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        int[] sizes = new int[steps.size()];
        int rows = 0;
        for (int i = 0; i < sizes.length; i++) {
            SequenceStep step = steps.get(i);
            SequenceKvCache cache = step.cache();
            if (!seen.add(cache)) {
                throw new IllegalArgumentException("sequence " + i + " shares its cache with an earlier one");
            }
            if (cache.layers() != layers.length
                    || cache.kvHeads() != config.numKvHeads()
                    || cache.headDim() != config.headDim()) {
                throw new IllegalArgumentException("sequence " + i + "'s cache has " + cache.layers()
                        + " layers of [kvHeads=" + cache.kvHeads() + ", headDim=" + cache.headDim()
                        + "], the model needs " + layers.length + " layers of [kvHeads="
                        + config.numKvHeads() + ", headDim=" + config.headDim() + "]");
            }
            sizes[i] = step.length();
            rows = Math.addExact(rows, sizes[i]);
        }
        long[] ids = new long[rows];
        long[] positions = new long[rows];
        for (int i = 0, row = 0; i < sizes.length; i++) {
            SequenceStep step = steps.get(i);
            for (int s = 0; s < sizes[i]; s++, row++) {
                ids[row] = step.tokenIds()[s];
                positions[row] = step.cache().length() + s;
            }
        }
        float[] x = embed(ids);
        for (SequenceStep step : steps) {
            step.cache().reserve(step.cache().length() + step.length());
        }
        RowGroups groups = RowGroups.ofSizes(sizes);
        for (int l = 0; l < layers.length; l++) {
            layers[l].forward(l, x, steps, groups, positions, rope);
        }
        int hidden = config.hiddenSize();
        float[] head = new float[sizes.length * hidden];
        for (int i = 0, end = 0; i < sizes.length; i++) {
            end += sizes[i];
            System.arraycopy(x, (end - 1) * hidden, head, i * hidden, hidden);
        }
        finalNorm.apply(head, 0, head, 0, sizes.length);
        float[] logits = new float[sizes.length * config.vocabSize()];
        lmHead.forward(head, RowGroups.uniform(sizes.length, 1), logits);
        for (SequenceStep step : steps) {
            step.cache().advance(step.length());
        }
        return logits;
    }

    /**
     * Looks up the embeddings of token ids: the residual stream that enters the first layer.
     *
     * @param ids the token ids
     * @return the embeddings {@code [ids.length, hidden]}
     * @throws IllegalArgumentException for an id outside the vocabulary
     */
    public float[] embed(long[] ids) {
        int hidden = config.hiddenSize();
        float[] x = new float[ids.length * hidden];
        for (int r = 0; r < ids.length; r++) {
            long id = ids[r];
            if (id < 0 || id >= config.vocabSize()) {
                throw new IllegalArgumentException(
                        "token id " + id + " is outside the vocabulary [0, " + config.vocabSize() + ")");
            }
            tokenEmbedding.copyRow((int) id, x, r * hidden);
        }
        return x;
    }
}
