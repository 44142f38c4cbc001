package io.djlint4.translator;

import ai.djl.ndarray.NDList;
import io.djlint4.generation.SequenceGenerator;
import java.util.List;

/**
 * Generates several sequences in one {@link LeftPaddedBatch}, after the block has read their
 * prompts: every {@link #step()} asks each running sequence for its next token and feeds all of
 * them to the block in one call. A sequence that has finished stops choosing tokens; its row is
 * still fed its last token (the batch keeps its shape) and its logits are ignored, so each
 * sequence stops on its own EOS, stop string or limit.
 */
final class BatchGeneration implements AutoCloseable {

    private final LeftPaddedBatch batch;
    private final List<SequenceGenerator> sequences;
    private final int[] promptLengths;
    private final int[] tokens;
    private NDList prefillOutput;

    /**
     * Prepares a batch; nothing runs until the first {@link #step()}.
     *
     * @param batch the block runner, closed with this object
     * @param sequences one generator per prompt, in batch order
     * @param promptLengths the prompts' token counts, in batch order
     * @param prefillOutput the block's output for the left-padded prompts
     */
    BatchGeneration(LeftPaddedBatch batch, List<SequenceGenerator> sequences, int[] promptLengths, NDList prefillOutput) {
        this.batch = batch;
        this.sequences = sequences;
        this.promptLengths = promptLengths.clone();
        this.tokens = new int[sequences.size()];
        this.prefillOutput = prefillOutput;
    }

    /**
     * Chooses one more token for every running sequence.
     *
     * @return {@code true} while some sequence is still running
     */
    boolean step() {
        float[][] logits;
        if (prefillOutput != null) {
            logits = batch.resume(promptLengths, prefillOutput);
            prefillOutput = null;
        } else if (isFinished()) {
            return false;
        } else {
            logits = batch.next(tokens);
        }
        for (int i = 0; i < tokens.length; i++) {
            SequenceGenerator sequence = sequences.get(i);
            if (!sequence.isFinished()) {
                tokens[i] = sequence.accept(logits[i]);
            }
        }
        return !isFinished();
    }

    /**
     * Tells whether every sequence has ended.
     *
     * @return {@code true} when no sequence runs
     */
    boolean isFinished() {
        return prefillOutput == null && sequences.stream().allMatch(SequenceGenerator::isFinished);
    }

    /** Releases the batch's arrays. */
    @Override
    public void close() {
        batch.close();
    }
}
