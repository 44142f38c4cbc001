package io.djlint4.translator;

import ai.djl.ndarray.NDList;
import io.djlint4.generation.SequenceGenerator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Generates several sequences in one {@link LeftPaddedBatch}, after the block has read their
 * prompts: every {@link #step()} asks each running sequence for its next token and feeds all of
 * them to the block in one call. Each sequence stops on its own EOS, stop string or limit; the
 * batch then drops its row, so later steps compute only the sequences still running.
 */
public final class BatchGeneration implements AutoCloseable {

    private final LeftPaddedBatch batch;
    private final List<SequenceGenerator> sequences;
    private final int[] promptLengths;
    /** The sequence of each row of the batch, in row order; rows of finished sequences are dropped. */
    private int[] running;
    private NDList prefillOutput;
    private int[] lastTokens;

    /**
     * Prepares a batch; nothing runs until the first {@link #step()}.
     *
     * @param batch the block runner, closed with this object
     * @param sequences one generator per prompt, in batch order
     * @param promptLengths the prompts' token counts, in batch order
     * @param prefillOutput the block's output for the left-padded prompts
     */
    public BatchGeneration(LeftPaddedBatch batch, List<SequenceGenerator> sequences, int[] promptLengths, NDList prefillOutput) {
        this.batch = batch;
        this.sequences = sequences;
        this.promptLengths = promptLengths.clone();
        this.running = IntStream.range(0, sequences.size()).toArray();
        this.prefillOutput = prefillOutput;
    }

    /**
     * Chooses one more token for every running sequence.
     *
     * @return {@code true} while some sequence is still running
     */
    public boolean step() {
        float[][] logits;
        if (prefillOutput != null) {
            logits = batch.resume(promptLengths, prefillOutput);
            prefillOutput = null;
        } else if (running.length == 0) {
            return false;
        } else {
            logits = batch.next(lastTokens);
        }
        int[] tokens = new int[running.length];
        int kept = 0;
        for (int row = 0; row < running.length; row++) {
            SequenceGenerator sequence = sequences.get(running[row]);
            tokens[row] = sequence.accept(logits[row]);
            if (!sequence.isFinished()) {
                kept++;
            }
        }
        if (kept < running.length && kept > 0) {
            int[] rows = new int[kept];
            int[] stillRunning = new int[kept];
            int[] nextTokens = new int[kept];
            for (int row = 0, k = 0; row < running.length; row++) {
                if (!sequences.get(running[row]).isFinished()) {
                    rows[k] = row;
                    stillRunning[k] = running[row];
                    nextTokens[k++] = tokens[row];
                }
            }
            batch.retain(rows);
            running = stillRunning;
            tokens = nextTokens;
        } else if (kept == 0) {
            running = new int[0];
        }
        lastTokens = tokens;
        return running.length > 0;
    }

    /** Releases the batch's arrays. */
    @Override
    public void close() {
        batch.close();
    }
}
