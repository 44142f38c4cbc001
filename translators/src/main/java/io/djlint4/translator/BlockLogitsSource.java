package io.djlint4.translator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.djlint4.generation.LogitsSource;
import java.util.Arrays;

/**
 * A {@link LogitsSource} over any engine's causal-LM {@link Block} with DJL's {@code TextGenerator}
 * layout: inputs {@code [input_ids, position_ids, attention_mask, k0, v0, ...]} (no past on the
 * first call), outputs {@code [logits, k0, v0, ..., hidden]}. The key/value cache is carried from
 * step to step as the block's own arrays.
 *
 * <p>Each step runs in a fresh sub-manager of the parent; the previous step's manager is closed
 * once its cache has been consumed, so at most two steps' arrays are alive and none outlive {@link
 * #close()}. Use one instance per sequence, from one thread.
 */
public final class BlockLogitsSource implements LogitsSource, AutoCloseable {

    private final Block block;
    private final NDManager parent;
    private final ParameterStore parameterStore;
    private NDManager stepManager;
    private NDList past;
    private int length;

    /**
     * Creates a source.
     *
     * @param block the causal-LM block
     * @param parent the manager step managers are made from (for example a predictor context's)
     */
    public BlockLogitsSource(Block block, NDManager parent) {
        this.block = block;
        this.parent = parent;
        this.parameterStore = new ParameterStore(parent, false);
    }

    @Override
    public float[] prefill(int[] promptIds) {
        if (promptIds.length == 0) {
            throw new IllegalArgumentException("the prompt has no tokens");
        }
        close();
        return step(promptIds);
    }

    @Override
    public float[] next(int tokenId) {
        if (past == null) {
            throw new IllegalStateException("next() before prefill()");
        }
        return step(new int[] {tokenId});
    }

    /**
     * Continues a sequence whose prompt the caller already ran through the block (as DJL's
     * predictor does with what a translator's {@code processInput} returns). The output stays
     * owned by the caller's manager, which must stay open while this source is used.
     *
     * @param promptLength the number of prompt tokens that were run
     * @param prefillOutput the block's output for them
     * @return the logits after the last prompt token
     */
    public float[] resume(int promptLength, NDList prefillOutput) {
        close();
        checkLayout(prefillOutput);
        past = prefillOutput.subNDList(1, prefillOutput.size() - 1);
        length = promptLength;
        return lastRow(prefillOutput.get(0));
    }

    /**
     * Returns how many tokens the current sequence holds.
     *
     * @return the sequence length so far
     */
    public int length() {
        return length;
    }

    private float[] step(int[] ids) {
        NDManager manager = parent.newSubManager();
        long[] tokens = new long[ids.length];
        long[] positions = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            tokens[i] = ids[i];
            positions[i] = length + i;
        }
        long[] mask = new long[length + ids.length];
        Arrays.fill(mask, 1L);
        NDList inputs = new NDList(
                manager.create(tokens, new Shape(1, ids.length)),
                manager.create(positions, new Shape(1, ids.length)),
                manager.create(mask, new Shape(1, mask.length)));
        if (past != null) {
            inputs.addAll(past);
        }
        NDList out;
        try {
            out = block.forward(parameterStore, inputs, false);
            // Outputs may be attached elsewhere by a block that does not follow DJL's convention.
            out.attach(manager);
            checkLayout(out);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        if (stepManager != null) {
            stepManager.close();
        }
        stepManager = manager;
        past = out.subNDList(1, out.size() - 1);
        length += ids.length;
        return lastRow(out.get(0));
    }

    private static void checkLayout(NDList out) {
        if (out.size() < 3 || out.size() % 2 != 0) {
            throw new IllegalStateException("a causal-LM block returns logits, 2 cache arrays per layer and hidden"
                    + " states; got " + out.size() + " arrays");
        }
    }

    /** The logits of the last position: blocks may return all positions or only the last. */
    private static float[] lastRow(NDArray logits) {
        float[] all = logits.toFloatArray();
        int vocab = Math.toIntExact(logits.getShape().get(logits.getShape().dimension() - 1));
        return Arrays.copyOfRange(all, all.length - vocab, all.length);
    }

    /** Releases the current sequence's arrays; the source can start a new sequence afterwards. */
    @Override
    public void close() {
        if (stepManager != null) {
            stepManager.close();
            stepManager = null;
        }
        past = null;
        length = 0;
    }
}
