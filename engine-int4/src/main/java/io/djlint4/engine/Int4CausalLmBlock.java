package io.djlint4.engine;

import ai.djl.inference.streaming.StreamingBlock;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractSymbolBlock;
import ai.djl.nn.ParameterList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.ForwardResult;
import io.djlint4.model.KvCache;
import io.djlint4.model.ModelConfig;
import java.util.Iterator;
import java.util.List;

/**
 * The causal-LM block with DJL's {@code TextGenerator} layout. Inputs: {@code input_ids [B, S]},
 * {@code position_ids [B, S]}, {@code attention_mask [B, P+S]}, then past keys and values {@code
 * [B, kvHeads, P, headDim]} as {@code k0, v0, k1, v1, ...} (absent on the first call); a list with
 * only {@code input_ids} is also accepted. Outputs: logits {@code [B, S', vocab]} (S' = 1 unless
 * the model was loaded with {@code logits=all}), the present keys and values, and the last
 * layer's normalized hidden states {@code [B, S, hidden]}. The block is stateless; every output
 * is attached to the manager of the first input.
 *
 * <p>It is a DJL {@link StreamingBlock} so that {@code Predictor.streamingPredict} accepts it: the
 * stream holds the one output of a forward call, and a streaming translator generates token by
 * token from it.
 */
public final class Int4CausalLmBlock extends AbstractSymbolBlock implements StreamingBlock {

    private final DecoderModel model;
    private final boolean allLogits;

    /**
     * Creates the block.
     *
     * @param model the decoder to run
     * @param allLogits whether to return logits for every input position
     */
    public Int4CausalLmBlock(DecoderModel model, boolean allLogits) {
        this.model = model;
        this.allLogits = allLogits;
    }

    /**
     * Returns the decoder this block runs.
     *
     * @return the decoder
     */
    public DecoderModel getModel() {
        return model;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        ModelConfig c = model.config();
        int layers = c.numLayers();
        if (inputs.size() != 1 && inputs.size() != 3 && inputs.size() != 3 + 2 * layers) {
            throw new IllegalArgumentException(
                    "expected input_ids, optionally with position_ids and attention_mask, and then "
                            + 2 * layers
                            + " past key/value arrays; got "
                            + inputs.size()
                            + " arrays");
        }
        NDArray ids = inputs.get(0);
        Shape idShape = ids.getShape();
        if (idShape.dimension() != 2) {
            throw new IllegalArgumentException("input_ids must be [batch, seq], got " + idShape);
        }
        int batch = Math.toIntExact(idShape.get(0));
        int seqLen = Math.toIntExact(idShape.get(1));
        KvCache past = inputs.size() > 3 ? pastOf(inputs, batch, c) : null;
        long[] positions = inputs.size() >= 3 ? longsOf(inputs.get(1)) : null;
        long[] mask = inputs.size() >= 3 ? longsOf(inputs.get(2)) : null;
        ForwardRequest req =
                new ForwardRequest(batch, seqLen, longsOf(ids), positions, mask, past, allLogits, null);
        ForwardResult r = model.forward(req);

        NDManager out = ids.getManager();
        NDList result = new NDList(2 + 2 * layers);
        result.add(output(out, r.logits(), new Shape(batch, r.logitPositions(), c.vocabSize())));
        KvCache present = r.present();
        Shape kvShape = new Shape(batch, c.numKvHeads(), present.length(), c.headDim());
        for (int l = 0; l < layers; l++) {
            result.add(output(out, present.keys(l), kvShape));
            result.add(output(out, present.values(l), kvShape));
        }
        result.add(output(out, r.hidden(), new Shape(batch, seqLen, c.hiddenSize())));
        return result;
    }

    @Override
    public Iterator<NDList> forwardStreamIter(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        return List.of(forward(parameterStore, inputs, training, params)).iterator();
    }

    private static KvCache pastOf(NDList inputs, int batch, ModelConfig c) {
        int layers = c.numLayers();
        Shape s = inputs.get(3).getShape();
        if (s.dimension() != 4
                || s.get(0) != batch
                || s.get(1) != c.numKvHeads()
                || s.get(3) != c.headDim()) {
            throw new IllegalArgumentException(
                    "past key/values must be [" + batch + ", " + c.numKvHeads() + ", past, " + c.headDim() + "], got " + s);
        }
        int length = Math.toIntExact(s.get(2));
        float[][] keys = new float[layers][];
        float[][] values = new float[layers][];
        for (int l = 0; l < layers; l++) {
            keys[l] = floatsOf(inputs.get(3 + 2 * l));
            values[l] = floatsOf(inputs.get(4 + 2 * l));
        }
        return new KvCache(batch, c.numKvHeads(), length, c.headDim(), keys, values);
    }

    private static long[] longsOf(NDArray a) {
        if (a.getDataType() == DataType.INT64) {
            return a.toLongArray();
        }
        if (a.getDataType() == DataType.INT32) {
            int[] v = a.toIntArray();
            long[] out = new long[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = v[i];
            }
            return out;
        }
        throw new IllegalArgumentException(
                "token ids, positions and masks must be INT64 or INT32, got " + a.getDataType());
    }

    private static float[] floatsOf(NDArray a) {
        if (a.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException(
                    "past key/values must be FLOAT32, got " + a.getDataType());
        }
        float[] live = Int4NDArray.liveFloats(a);
        return live != null ? live : a.toFloatArray();
    }

    /** Hands a fresh result array to the caller's manager, without a copy on Int4 managers. */
    private static NDArray output(NDManager manager, float[] data, Shape shape) {
        if (manager instanceof Int4NDManager) {
            return ((Int4NDManager) manager).wrap(data, shape);
        }
        return manager.create(data, shape);
    }

    @Override
    public ParameterList getDirectParameters() {
        throw new UnsupportedOperationException("Int4 blocks hold no DJL parameters");
    }
}
