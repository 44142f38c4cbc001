package io.djlint4.translator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;

/**
 * Runs several sequences through any engine's causal-LM {@link Block} together, with DJL's {@code
 * TextGenerator} layout: inputs {@code [input_ids, position_ids, attention_mask, k0, v0, ...]},
 * outputs {@code [logits, k0, v0, ..., hidden]}. Prompts of different lengths are left-padded to
 * the longest: padding has mask 0, and each sequence's positions count from its own first token,
 * so every sequence sees what it would see alone. Each step feeds one token per sequence and
 * returns each sequence's next-token logits; the key/value cache is carried as the block's own
 * arrays.
 *
 * <p>Each step runs in a fresh sub-manager of the parent; the previous step's manager is closed
 * once its cache has been consumed, so at most two steps' arrays are alive and none outlive {@link
 * #close()}. Use one instance per batch, from one thread.
 */
public final class LeftPaddedBatch implements AutoCloseable {

    private final Block block;
    private final NDManager parent;
    private final ParameterStore parameterStore;
    private NDManager stepManager;
    private NDList past;
    private int[] promptLengths;
    private int width;
    private int steps;

    /**
     * Creates a batch runner.
     *
     * @param block the causal-LM block
     * @param parent the manager step managers are made from (for example a predictor context's)
     */
    public LeftPaddedBatch(Block block, NDManager parent) {
        this.block = block;
        this.parent = parent;
        this.parameterStore = new ParameterStore(parent, false);
    }

    /**
     * Builds the block's inputs for reading prompts: {@code input_ids}, {@code position_ids} and
     * {@code attention_mask}, each {@code [prompts, longest prompt]}, left-padded.
     *
     * @param manager the manager of the arrays
     * @param prompts the prompts' token ids, each at least one token
     * @return the inputs
     */
    public static NDList prefillInputs(NDManager manager, List<int[]> prompts) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one prompt");
        }
        int width = 0;
        for (int[] p : prompts) {
            if (p.length == 0) {
                throw new IllegalArgumentException("a prompt has no tokens");
            }
            width = Math.max(width, p.length);
        }
        int batch = prompts.size();
        long[] ids = new long[batch * width];
        long[] positions = new long[batch * width];
        long[] mask = new long[batch * width];
        for (int b = 0; b < batch; b++) {
            int[] p = prompts.get(b);
            int pad = width - p.length;
            for (int i = 0; i < p.length; i++) {
                ids[b * width + pad + i] = p[i];
                positions[b * width + pad + i] = i;
                mask[b * width + pad + i] = 1;
            }
        }
        Shape shape = new Shape(batch, width);
        return new NDList(manager.create(ids, shape), manager.create(positions, shape), manager.create(mask, shape));
    }

    /**
     * Starts a new batch, discarding any earlier one, and reads its prompts.
     *
     * @param prompts the prompts' token ids, each at least one token
     * @return each sequence's logits after its last prompt token
     */
    public float[][] prefill(List<int[]> prompts) {
        close();
        NDManager manager = parent.newSubManager();
        NDList out = run(manager, prefillInputs(manager, prompts));
        start(prompts.stream().mapToInt(p -> p.length).toArray(), out);
        stepManager = manager;
        return lastRows(out.get(0));
    }

    /**
     * Continues a batch whose prompts the caller already ran through the block (as DJL's
     * predictor does with what a translator's input processing returns), from inputs built by
     * {@link #prefillInputs}. The output stays owned by the caller's manager, which must stay open
     * while this batch is used.
     *
     * @param promptLengths the number of tokens of each prompt, in batch order
     * @param prefillOutput the block's output for the prompts
     * @return each sequence's logits after its last prompt token
     */
    public float[][] resume(int[] promptLengths, NDList prefillOutput) {
        close();
        checkLayout(prefillOutput);
        start(promptLengths, prefillOutput);
        return lastRows(prefillOutput.get(0));
    }

    /**
     * Appends one token to every sequence.
     *
     * @param tokens one token id per sequence, in batch order
     * @return each sequence's logits after its new token
     */
    public float[][] next(int[] tokens) {
        if (past == null) {
            throw new IllegalStateException("next() before prefill() or resume()");
        }
        int batch = promptLengths.length;
        if (tokens.length != batch) {
            throw new IllegalArgumentException("the batch has " + batch + " sequences, got " + tokens.length + " tokens");
        }
        int total = width + steps + 1;
        long[] ids = new long[batch];
        long[] positions = new long[batch];
        long[] mask = new long[batch * total];
        for (int b = 0; b < batch; b++) {
            ids[b] = tokens[b];
            positions[b] = promptLengths[b] + steps;
            for (int i = width - promptLengths[b]; i < total; i++) {
                mask[b * total + i] = 1;
            }
        }
        NDManager manager = parent.newSubManager();
        NDList inputs = new NDList(
                manager.create(ids, new Shape(batch, 1)),
                manager.create(positions, new Shape(batch, 1)),
                manager.create(mask, new Shape(batch, total)));
        inputs.addAll(past);
        NDList out = run(manager, inputs);
        if (stepManager != null) {
            stepManager.close();
        }
        stepManager = manager;
        past = out.subNDList(1, out.size() - 1);
        steps++;
        return lastRows(out.get(0));
    }

    /**
     * Keeps only some sequences, so the next steps no longer compute the others (for example
     * sequences that have finished). Their cache rows are copied into arrays of the smaller batch;
     * sequence indices then count among the kept ones.
     *
     * @param rows the indices of the sequences to keep, ascending
     */
    public void retain(int[] rows) {
        if (past == null) {
            throw new IllegalStateException("retain() before prefill() or resume()");
        }
        if (rows.length == 0) {
            throw new IllegalArgumentException("a batch keeps at least one sequence");
        }
        int batch = promptLengths.length;
        int[] lengths = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= batch || (i > 0 && rows[i] <= rows[i - 1])) {
                throw new IllegalArgumentException("rows must be ascending indices below " + batch);
            }
            lengths[i] = promptLengths[rows[i]];
        }
        NDManager manager = parent.newSubManager();
        NDList kept = new NDList(past.size());
        for (NDArray array : past) {
            Shape shape = array.getShape();
            float[] all = array.toFloatArray();
            int rowSize = all.length / batch;
            float[] selected = new float[rows.length * rowSize];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(all, rows[i] * rowSize, selected, i * rowSize, rowSize);
            }
            long[] dims = shape.getShape();
            dims[0] = rows.length;
            kept.add(manager.create(selected, new Shape(dims)));
        }
        if (stepManager != null) {
            stepManager.close();
        }
        stepManager = manager;
        past = kept;
        promptLengths = lengths;
    }

    /**
     * Returns how many tokens a sequence holds, padding excluded.
     *
     * @param sequence the sequence's index in the batch
     * @return its prompt length plus the tokens fed since
     */
    public int length(int sequence) {
        return promptLengths == null ? 0 : promptLengths[sequence] + steps;
    }

    private void start(int[] lengths, NDList out) {
        int widest = 0;
        for (int n : lengths) {
            widest = Math.max(widest, n);
        }
        promptLengths = lengths.clone();
        width = widest;
        steps = 0;
        past = out.subNDList(1, out.size() - 1);
    }

    private NDList run(NDManager manager, NDList inputs) {
        try {
            NDList out = block.forward(parameterStore, inputs, false);
            // Outputs may be attached elsewhere by a block that does not follow DJL's convention.
            out.attach(manager);
            checkLayout(out);
            return out;
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static void checkLayout(NDList out) {
        if (out.size() < 3 || out.size() % 2 != 0) {
            throw new IllegalStateException("a causal-LM block returns logits, 2 cache arrays per layer and hidden"
                    + " states; got " + out.size() + " arrays");
        }
    }

    /** Each sequence's logits at its last position: blocks may return all positions or only the last. */
    private static float[][] lastRows(NDArray logits) {
        Shape shape = logits.getShape();
        int batch = Math.toIntExact(shape.get(0));
        int positions = shape.dimension() == 3 ? Math.toIntExact(shape.get(1)) : 1;
        int vocab = Math.toIntExact(shape.get(shape.dimension() - 1));
        float[] all = logits.toFloatArray();
        float[][] rows = new float[batch][vocab];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(all, ((b + 1) * positions - 1) * vocab, rows[b], 0, vocab);
        }
        return rows;
    }

    /** Releases the current batch's arrays; a new batch can start afterwards. */
    @Override
    public void close() {
        if (stepManager != null) {
            stepManager.close();
            stepManager = null;
        }
        past = null;
        promptLengths = null;
        steps = 0;
    }
}
