package io.djlint4.tokenizer;

/**
 * GPT-2 style BPE by rank: repeatedly joins the adjacent pair with the lowest merge rank, the
 * leftmost on ties, as Hugging Face tokenizers and llama.cpp do. A heap keeps long words (runs of
 * spaces, digits or letters) at O(n log n).
 */
final class RankedPairMerger {

    private final IntPairMap ranks;
    private final int[] results;

    /**
     * @param lefts left ids of the merges, in rank order
     * @param rights right ids of the merges, in rank order
     * @param results merged ids, in rank order
     */
    RankedPairMerger(int[] lefts, int[] rights, int[] results) {
        this.ranks = new IntPairMap(lefts.length);
        for (int rank = 0; rank < lefts.length; rank++) {
            // A repeated pair keeps its first (lowest) rank.
            ranks.putIfAbsent(lefts[rank], rights[rank], rank);
        }
        this.results = results.clone();
    }

    /** Merges a word given as its initial symbol ids and returns the final ids. */
    int[] merge(int[] symbols) {
        int n = symbols.length;
        if (n < 2) {
            return symbols.clone();
        }
        int[] ids = symbols.clone();
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        LongMinHeap queue = new LongMinHeap();
        for (int i = 0; i + 1 < n; i++) {
            offer(queue, ids, i, i + 1);
        }
        int alive = n;
        while (!queue.isEmpty()) {
            long entry = queue.pop();
            int left = (int) entry;
            int right = next[left];
            int rank = (int) (entry >>> 32);
            // A rank names exactly one pair, so a changed pair at this position means a stale entry.
            if (ids[left] < 0 || right < 0 || ranks.get(ids[left], ids[right]) != rank) {
                continue;
            }
            ids[left] = results[rank];
            ids[right] = -1;
            alive--;
            next[left] = next[right];
            if (next[left] >= 0) {
                prev[next[left]] = left;
            }
            if (prev[left] >= 0) {
                offer(queue, ids, prev[left], left);
            }
            if (next[left] >= 0) {
                offer(queue, ids, left, next[left]);
            }
        }
        int[] result = new int[alive];
        int k = 0;
        for (int i = 0; i >= 0; i = next[i]) {
            result[k++] = ids[i];
        }
        return result;
    }

    private void offer(LongMinHeap queue, int[] ids, int left, int right) {
        int rank = ranks.get(ids[left], ids[right]);
        if (rank >= 0) {
            queue.push(((long) rank << 32) | left);
        }
    }
}
