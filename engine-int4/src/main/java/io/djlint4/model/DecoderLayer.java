package io.djlint4.model;

import io.djlint4.kernels.KernelThreads;
import io.djlint4.kernels.RowGroups;
import java.util.List;
import java.util.Objects;
import java.util.function.IntToLongFunction;
import java.util.function.UnaryOperator;

/**
 * One pre-norm decoder layer: attention with rope (optionally per-head q/k RMSNorm, and a {@link
 * KvCacheScheme} rotating queries and keys per head and rounding what enters the cache) and a
 * SwiGLU MLP, each added to the residual stream.
 */
public final class DecoderLayer {

    /** SwiGLU values per thread at least: a few microseconds of exp, more than a hand-off. */
    private static final int SWIGLU_GRAIN = 2048;

    private final ModelConfig config;
    private final RmsNorm attnNorm;
    private final LinearLayer wq;
    private final LinearLayer wk;
    private final LinearLayer wv;
    private final LinearLayer wo;
    private final RmsNorm qNorm;
    private final RmsNorm kNorm;
    private final RmsNorm ffnNorm;
    private final LinearLayer wGate;
    private final LinearLayer wUp;
    private final LinearLayer wDown;
    private final CausalSelfAttention attention;
    private final KvCacheScheme kvScheme;

    /**
     * Creates the layer from its parts.
     *
     * @param config the model configuration
     * @param attnNorm the norm before attention
     * @param wq the query projection
     * @param wk the key projection
     * @param wv the value projection
     * @param wo the attention output projection
     * @param qNorm the per-head query norm, or {@code null}
     * @param kNorm the per-head key norm, or {@code null}
     * @param ffnNorm the norm before the MLP
     * @param wGate the SwiGLU gate projection
     * @param wUp the SwiGLU up projection
     * @param wDown the SwiGLU down projection
     * @param kvScheme the treatment of queries, keys and values between rope and the cache
     */
    public DecoderLayer(
            ModelConfig config,
            RmsNorm attnNorm,
            LinearLayer wq,
            LinearLayer wk,
            LinearLayer wv,
            LinearLayer wo,
            RmsNorm qNorm,
            RmsNorm kNorm,
            RmsNorm ffnNorm,
            LinearLayer wGate,
            LinearLayer wUp,
            LinearLayer wDown,
            KvCacheScheme kvScheme) {
        this.config = config;
        this.attnNorm = attnNorm;
        this.wq = wq;
        this.wk = wk;
        this.wv = wv;
        this.wo = wo;
        this.qNorm = qNorm;
        this.kNorm = kNorm;
        this.ffnNorm = ffnNorm;
        this.wGate = wGate;
        this.wUp = wUp;
        this.wDown = wDown;
        this.attention =
                new CausalSelfAttention(config.numHeads(), config.numKvHeads(), config.headDim());
        this.kvScheme = Objects.requireNonNull(kvScheme, "kvScheme");
    }

    /**
     * Creates a layer from its weights, each projection built by {@code linears}, with a
     * full-precision cache.
     *
     * @param config the model configuration
     * @param index the layer index
     * @param w the layer's weights
     * @param linears builds each projection
     * @return the layer
     */
    public static DecoderLayer fromWeights(
            ModelConfig config, int index, LayerWeights w, LinearFactory linears) {
        return fromWeights(config, index, w, linears, KvCacheScheme.FULL_PRECISION);
    }

    /**
     * Creates a layer from its weights, each projection built by {@code linears}.
     *
     * @param config the model configuration
     * @param index the layer index
     * @param w the layer's weights
     * @param linears builds each projection
     * @param kvScheme the treatment of queries, keys and values between rope and the cache
     * @return the layer
     */
    public static DecoderLayer fromWeights(
            ModelConfig config, int index, LayerWeights w, LinearFactory linears, KvCacheScheme kvScheme) {
        int h = config.hiddenSize();
        int inter = config.intermediateSize();
        double eps = config.rmsNormEps();
        return new DecoderLayer(
                config,
                new RmsNorm(w.attnNorm(), eps),
                linears.create(index, LinearKind.Q, w.wq(), w.bq(), config.qDim(), h),
                linears.create(index, LinearKind.K, w.wk(), w.bk(), config.kvDim(), h),
                linears.create(index, LinearKind.V, w.wv(), w.bv(), config.kvDim(), h),
                linears.create(index, LinearKind.O, w.wo(), null, h, config.qDim()),
                w.qNorm() == null ? null : new RmsNorm(w.qNorm(), eps),
                w.kNorm() == null ? null : new RmsNorm(w.kNorm(), eps),
                new RmsNorm(w.ffnNorm(), eps),
                linears.create(index, LinearKind.GATE, w.wGate(), null, inter, h),
                linears.create(index, LinearKind.UP, w.wUp(), null, inter, h),
                linears.create(index, LinearKind.DOWN, w.wDown(), null, h, inter),
                kvScheme);
    }

    /**
     * Counts the weights of the seven projections and the bits they occupy as built.
     *
     * @return the footprint
     */
    LinearFootprint linearFootprint() {
        LinearFootprint f = new LinearFootprint(0, 0);
        for (LinearLayer l : new LinearLayer[] {wq, wk, wv, wo, wGate, wUp, wDown}) {
            f = f.plus(l);
        }
        return f;
    }

    /**
     * Runs the layer on a request without past keys and values, in place, discarding this call's
     * keys and values: the entry point of layer-by-layer calibration, which keeps the residual
     * stream of every calibration sequence between layers instead of re-running the model.
     *
     * @param index this layer's index, reported to the request's observer
     * @param x the residual stream {@code [batch, seqLen, hidden]}, updated in place
     * @param req the call being served; it must have no past cache (only its shapes, positions,
     *     mask and observer are read)
     * @param rope the rotary embedding
     */
    public void forward(int index, float[] x, ForwardRequest req, RotaryEmbedding rope) {
        if (req.past() != null) {
            throw new IllegalArgumentException("a cache-less layer call cannot continue a past cache");
        }
        int kvLen = req.batch() * config.numKvHeads() * req.seqLen() * config.headDim();
        forward(index, x, req, rope, null, null, new float[kvLen], new float[kvLen]);
    }

    /**
     * Applies the attention norm: the input of q, k and v, for calibration that runs the layer one
     * sub-block at a time ({@link #attentionBlock}, {@link #mlpNorm}, {@link #mlpBlock}).
     *
     * @param x the residual stream {@code [rows, hidden]} (not modified)
     * @param rows the number of rows
     * @return the normed rows
     */
    public float[] attentionNorm(float[] x, int rows) {
        float[] xn = new float[rows * config.hiddenSize()];
        attnNorm.apply(x, 0, xn, 0, rows);
        return xn;
    }

    /**
     * Applies the MLP norm: the input of gate and up.
     *
     * @param x the residual stream after attention {@code [rows, hidden]} (not modified)
     * @param rows the number of rows
     * @return the normed rows
     */
    public float[] mlpNorm(float[] x, int rows) {
        float[] xn = new float[rows * config.hiddenSize()];
        ffnNorm.apply(x, 0, xn, 0, rows);
        return xn;
    }

    /**
     * Runs the attention sub-block alone (q/k/v projections, rope, attention, o_proj) on the
     * attention norm's output, without cache: the block whose output error AdaDim measures for
     * q, k and v.
     *
     * @param index this layer's index, reported to the request's observer
     * @param normed the attention norm's output {@code [batch, seqLen, hidden]} (not modified)
     * @param req the call being served, without past cache
     * @param rope the rotary embedding
     * @return the o_proj output {@code [batch, seqLen, hidden]}
     */
    public float[] attentionBlock(int index, float[] normed, ForwardRequest req, RotaryEmbedding rope) {
        if (req.past() != null) {
            throw new IllegalArgumentException("a cache-less layer call cannot continue a past cache");
        }
        int kvLen = req.batch() * config.numKvHeads() * req.seqLen() * config.headDim();
        return attention(index, normed, req, req.rowGroups(), rope, null, null, new float[kvLen], new float[kvLen]);
    }

    /**
     * Runs the SwiGLU sub-block alone on the MLP norm's output: the block whose output error
     * AdaDim measures for gate and up.
     *
     * @param index this layer's index, reported to the observer
     * @param normed the MLP norm's output {@code [rows, hidden]} (not modified)
     * @param rows the number of rows, all of one sequence
     * @param observer sees the down_proj input, or {@code null}
     * @return the down_proj output {@code [rows, hidden]}
     */
    public float[] mlpBlock(int index, float[] normed, int rows, LinearInputObserver observer) {
        return mlpBlock(index, normed, RowGroups.single(rows), observer);
    }

    /**
     * Runs gate and up and their SwiGLU on the MLP norm's output: the down_proj input, without
     * down_proj itself.
     *
     * @param normed the MLP norm's output {@code [rows, hidden]} (not modified)
     * @param rows the number of rows, all of one sequence
     * @return the down_proj input {@code [rows, intermediate]}
     */
    public float[] downInput(float[] normed, int rows) {
        return gatedUp(normed, RowGroups.single(rows));
    }

    private float[] mlpBlock(int index, float[] normed, RowGroups groups, LinearInputObserver observer) {
        int rows = groups.rows();
        float[] gate = gatedUp(normed, groups);
        if (observer != null) {
            observer.onInput(index, LinearSlot.DOWN, gate, rows, config.intermediateSize());
        }
        float[] out = new float[rows * config.hiddenSize()];
        wDown.forward(gate, groups, out);
        return out;
    }

    private float[] gatedUp(float[] normed, RowGroups groups) {
        int rows = groups.rows();
        int inter = config.intermediateSize();
        float[] gate = new float[rows * inter];
        float[] up = new float[rows * inter];
        wGate.forward(normed, groups, gate);
        wUp.forward(normed, groups, up);
        // Elementwise, so splitting it over the kernel threads changes no result; one exp per
        // value costs as much as a small product when several sequences decode together.
        KernelThreads.parallelFor(gate.length, SWIGLU_GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = gate[i];
                gate[i] = g / (1f + (float) Math.exp(-g)) * up[i];
            }
        });
        return gate;
    }

    /**
     * Runs the layer on {@code batch * seqLen} rows of the residual stream, in place, and writes
     * this call's keys and values into the layer's new cache arrays.
     *
     * @param index this layer's index, reported to the request's observer
     * @param x the residual stream {@code [batch, seqLen, hidden]}, updated in place
     * @param req the call being served
     * @param rope the rotary embedding
     * @param pastKeys the layer's past keys {@code [batch, kvHeads, past, headDim]}
     * @param pastValues the layer's past values
     * @param keys receives past and new keys {@code [batch, kvHeads, past+seqLen, headDim]}
     * @param values receives past and new values
     */
    void forward(
            int index,
            float[] x,
            ForwardRequest req,
            RotaryEmbedding rope,
            float[] pastKeys,
            float[] pastValues,
            float[] keys,
            float[] values) {
        RowGroups groups = req.rowGroups();
        residualBlocks(index, x, groups, req.observer(),
                xn -> attention(index, xn, req, groups, rope, pastKeys, pastValues, keys, values));
    }

    /**
     * Runs the layer on the new rows of several sequences, in place, each attending over its own
     * cache: the projections run once over all rows (grouped by sequence, so each sequence gets
     * the results it gets alone), attention per sequence. This call's keys and values are written
     * into each cache after its length; the caller commits them once every layer has run.
     *
     * @param index this layer's index
     * @param x the residual stream of every sequence's new rows, stacked, updated in place
     * @param steps the sequences in row order, their caches reserved for the new rows
     * @param groups one group per sequence
     * @param positions the rope position of every row
     * @param rope the rotary embedding
     */
    void forward(
            int index, float[] x, List<SequenceStep> steps, RowGroups groups, long[] positions, RotaryEmbedding rope) {
        residualBlocks(index, x, groups, null, xn -> {
            float[][] qkv = projectQkv(index, xn, groups, r -> positions[r], rope, null);
            appendToCaches(steps, index, qkv[1], qkv[2]);
            float[] attnOut = new float[groups.rows() * config.qDim()];
            attention.applySequences(qkv[0], steps, index, attnOut);
            float[] o = new float[groups.rows() * config.hiddenSize()];
            wo.forward(attnOut, groups, o);
            return o;
        });
    }

    /** Attention then the MLP, each on the normed stream and added to it. */
    private void residualBlocks(
            int index, float[] x, RowGroups groups, LinearInputObserver observer, UnaryOperator<float[]> attentionBlock) {
        int rows = groups.rows();
        int hidden = config.hiddenSize();
        float[] xn = new float[rows * hidden];
        attnNorm.apply(x, 0, xn, 0, rows);
        addInPlace(x, attentionBlock.apply(xn));
        ffnNorm.apply(x, 0, xn, 0, rows);
        if (observer != null) {
            observer.onInput(index, LinearSlot.GATE_UP, xn, rows, hidden);
        }
        addInPlace(x, mlpBlock(index, xn, groups, observer));
    }

    private float[] attention(
            int index,
            float[] xn,
            ForwardRequest req,
            RowGroups groups,
            RotaryEmbedding rope,
            float[] pastKeys,
            float[] pastValues,
            float[] keys,
            float[] values) {
        int batch = req.batch();
        int seqLen = req.seqLen();
        int rows = batch * seqLen;
        int past = req.pastLength();
        int total = past + seqLen;

        LinearInputObserver observer = req.observer();
        float[][] qkv = projectQkv(index, xn, groups, r -> positionOf(req, r, past), rope, observer);
        appendToCache(pastKeys, qkv[1], keys, batch, seqLen, past, total);
        appendToCache(pastValues, qkv[2], values, batch, seqLen, past, total);

        float[] attnOut = new float[rows * config.qDim()];
        attention.apply(qkv[0], keys, values, batch, seqLen, total, req.attentionMask(), attnOut);
        if (observer != null) {
            observer.onInput(index, LinearSlot.O, attnOut, rows, config.qDim());
        }
        float[] o = new float[rows * config.hiddenSize()];
        wo.forward(attnOut, groups, o);
        return o;
    }

    /**
     * The queries, keys and values of every row as attention and the cache take them: projected,
     * normed per head, roped at each row's position, rotated per head and rounded as the layer's
     * {@link KvCacheScheme} says.
     *
     * @return {@code {q, k, v}}
     */
    private float[][] projectQkv(
            int index,
            float[] xn,
            RowGroups groups,
            IntToLongFunction positionOfRow,
            RotaryEmbedding rope,
            LinearInputObserver observer) {
        int rows = groups.rows();
        int heads = config.numHeads();
        int kvHeads = config.numKvHeads();
        if (observer != null) {
            observer.onInput(index, LinearSlot.QKV, xn, rows, config.hiddenSize());
        }
        float[] q = new float[rows * config.qDim()];
        float[] k = new float[rows * config.kvDim()];
        float[] v = new float[rows * config.kvDim()];
        wq.forward(xn, groups, q);
        wk.forward(xn, groups, k);
        wv.forward(xn, groups, v);
        if (qNorm != null) {
            qNorm.apply(q, 0, q, 0, rows * heads);
        }
        if (kNorm != null) {
            kNorm.apply(k, 0, k, 0, rows * kvHeads);
        }
        for (int r = 0; r < rows; r++) {
            long pos = positionOfRow.applyAsLong(r);
            rope.apply(q, r * config.qDim(), heads, pos);
            rope.apply(k, r * config.kvDim(), kvHeads, pos);
        }
        RowTransform headRotation = kvScheme.headRotation();
        if (headRotation != null) {
            q = rotateHeads(headRotation, q, rows * heads);
            k = rotateHeads(headRotation, k, rows * kvHeads);
        }
        if (observer != null) {
            observer.onAttentionOperands(index, q, k, v, rows);
        }
        KvQuantizer kvQuantizer = kvScheme.quantizer();
        if (kvQuantizer != null) {
            kvQuantizer.quantizeKeys(k, rows);
            kvQuantizer.quantizeValues(v, rows);
        }
        return new float[][] {q, k, v};
    }

    /** Writes each sequence's new key and value rows after its cached positions. */
    private void appendToCaches(List<SequenceStep> steps, int layer, float[] k, float[] v) {
        int kvDim = config.kvDim();
        int row = 0;
        for (SequenceStep step : steps) {
            SequenceKvCache cache = step.cache();
            for (int s = 0; s < step.length(); s++, row++) {
                cache.write(layer, cache.length() + s, k, row * kvDim, v, row * kvDim);
            }
        }
    }

    /** Every head row of {@code x} times the rotation; a new array, as the transform may not work in place. */
    private static float[] rotateHeads(RowTransform rotation, float[] x, int headRows) {
        float[] out = new float[x.length];
        rotation.apply(x, headRows, out);
        return out;
    }

    private static long positionOf(ForwardRequest req, int row, int past) {
        if (req.positionIds() != null) {
            return req.positionIds()[row];
        }
        return past + row % req.seqLen();
    }

    private void appendToCache(
            float[] pastKv, float[] fresh, float[] dst, int batch, int seqLen, int past, int total) {
        int kvHeads = config.numKvHeads();
        int headDim = config.headDim();
        int kvDim = config.kvDim();
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < kvHeads; h++) {
                int dstBase = (b * kvHeads + h) * total * headDim;
                if (past > 0) {
                    int srcBase = (b * kvHeads + h) * past * headDim;
                    System.arraycopy(pastKv, srcBase, dst, dstBase, past * headDim);
                }
                for (int s = 0; s < seqLen; s++) {
                    System.arraycopy(
                            fresh,
                            (b * seqLen + s) * kvDim + h * headDim,
                            dst,
                            dstBase + (past + s) * headDim,
                            headDim);
                }
            }
        }
    }

    private static void addInPlace(float[] acc, float[] add) {
        for (int i = 0; i < acc.length; i++) {
            acc[i] += add[i];
        }
    }
}
