package io.djlint4.model;

import io.djlint4.kernels.RowGroups;
import java.util.Arrays;

/**
 * One call of the decoder: {@code seqLen} new tokens for each of {@code batch} sequences,
 * continuing the positions held in {@code past}.
 *
 * @param batch the number of sequences
 * @param seqLen the number of new tokens per sequence
 * @param tokenIds the new token ids {@code [batch, seqLen]}
 * @param positionIds rope positions {@code [batch, seqLen]}, or {@code null} for {@code
 *     past.length() + s}
 * @param attentionMask {@code [batch, past + seqLen]}, 0 marking padding; {@code null} when no
 *     position is padding
 * @param past the cache of earlier positions, or {@code null} for none
 * @param allLogits whether to return logits for every new position or only the last one
 * @param observer sees every linear layer's input, or {@code null}
 */
public record ForwardRequest(
        int batch,
        int seqLen,
        long[] tokenIds,
        long[] positionIds,
        long[] attentionMask,
        KvCache past,
        boolean allLogits,
        LinearInputObserver observer) {

    /** Checks that the arrays match the batch and sequence sizes. */
    public ForwardRequest {
        if (batch <= 0 || seqLen <= 0) {
            throw new IllegalArgumentException(
                    "batch and seqLen must be positive, got " + batch + " and " + seqLen);
        }
        long rows = (long) batch * seqLen;
        if (tokenIds.length != rows) {
            throw new IllegalArgumentException(
                    "input_ids has " + tokenIds.length + " values, expected [" + batch + ", " + seqLen + "]");
        }
        if (positionIds != null && positionIds.length != rows) {
            throw new IllegalArgumentException(
                    "position_ids has " + positionIds.length + " values, expected [" + batch + ", " + seqLen + "]");
        }
        int pastLength = past == null ? 0 : past.length();
        if (past != null && past.batch() != batch) {
            throw new IllegalArgumentException(
                    "past key/values have batch " + past.batch() + ", input_ids has " + batch);
        }
        if (attentionMask != null && attentionMask.length != (long) batch * (pastLength + seqLen)) {
            throw new IllegalArgumentException(
                    "attention_mask has "
                            + attentionMask.length
                            + " values, expected ["
                            + batch
                            + ", "
                            + (pastLength + seqLen)
                            + "]");
        }
    }

    /**
     * Creates a request for one unpadded sequence with no cache.
     *
     * @param tokenIds the tokens
     * @param allLogits whether to return logits for every position
     * @return the request
     */
    public static ForwardRequest of(long[] tokenIds, boolean allLogits) {
        return new ForwardRequest(1, tokenIds.length, tokenIds, null, null, null, allLogits, null);
    }

    /**
     * Creates a request that continues one unpadded sequence by one token.
     *
     * @param token the new token
     * @param past the cache of the earlier tokens
     * @return the request, asking for the last position's logits
     */
    public static ForwardRequest next(long token, KvCache past) {
        return new ForwardRequest(1, 1, new long[] {token}, null, null, past, false, null);
    }

    /**
     * Returns this request with an observer of linear-layer inputs.
     *
     * @param o the observer
     * @return a copy of this request that reports to {@code o}
     */
    public ForwardRequest withObserver(LinearInputObserver o) {
        return new ForwardRequest(batch, seqLen, tokenIds, positionIds, attentionMask, past, allLogits, o);
    }

    /**
     * Returns the rows of this call grouped for the linear layers, so that no row of one sequence
     * changes another's results: each sequence's new rows, cut where the attention mask switches
     * between padding and tokens (left padding is a group of its own, kept out of the sequence's
     * statistics). An unpadded single sequence is one group.
     *
     * @return the grouping of the {@code batch * seqLen} rows
     */
    public RowGroups rowGroups() {
        if (attentionMask == null) {
            return RowGroups.uniform(batch, seqLen);
        }
        int past = pastLength();
        int total = past + seqLen;
        int[] sizes = new int[batch * seqLen];
        int count = 0;
        for (int b = 0; b < batch; b++) {
            int first = b * total + past;
            int run = 1;
            for (int s = 1; s < seqLen; s++) {
                if ((attentionMask[first + s] == 0) == (attentionMask[first + s - 1] == 0)) {
                    run++;
                } else {
                    sizes[count++] = run;
                    run = 1;
                }
            }
            sizes[count++] = run;
        }
        return RowGroups.ofSizes(Arrays.copyOf(sizes, count));
    }

    /**
     * Returns the number of cached positions before this call.
     *
     * @return the past length
     */
    public int pastLength() {
        return past == null ? 0 : past.length();
    }
}
