package io.djlint4.translator;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.djlint4.generation.LogitsSource;
import java.util.List;

/**
 * A {@link LogitsSource} over any engine's causal-LM {@link Block} with DJL's {@code TextGenerator}
 * layout: a {@link LeftPaddedBatch} of one sequence, so no padding. Arrays live in sub-managers of
 * the parent and none outlive {@link #close()}. Use one instance per sequence, from one thread.
 */
public final class BlockLogitsSource implements LogitsSource, AutoCloseable {

    private final LeftPaddedBatch batch;

    /**
     * Creates a source.
     *
     * @param block the causal-LM block
     * @param parent the manager step managers are made from (for example a predictor context's)
     */
    public BlockLogitsSource(Block block, NDManager parent) {
        this.batch = new LeftPaddedBatch(block, parent);
    }

    @Override
    public float[] prefill(int[] promptIds) {
        return batch.prefill(List.of(promptIds))[0];
    }

    @Override
    public float[] next(int tokenId) {
        return batch.next(new int[] {tokenId})[0];
    }

    /**
     * Returns how many tokens the current sequence holds.
     *
     * @return the sequence length so far
     */
    public int length() {
        return batch.length(0);
    }

    /** Releases the current sequence's arrays; the source can start a new sequence afterwards. */
    @Override
    public void close() {
        batch.close();
    }
}
