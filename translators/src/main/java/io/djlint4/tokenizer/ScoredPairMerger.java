package io.djlint4.tokenizer;

import java.util.Map;

/**
 * SentencePiece-style BPE by score: repeatedly joins the adjacent pair whose concatenated text is
 * the vocabulary token with the highest score, the leftmost pair on ties, until no pair is a token.
 * This is what llama2.c's {@code encode} and llama.cpp's SPM tokenizer do. Instead of their string
 * lookups and rescans it precomputes which token pairs concatenate to a token and uses a heap, so
 * long texts encode in O(n log n).
 *
 * <p>Symbols are token ids. A symbol that is no token (a character missing from the vocabulary)
 * is passed as {@code -(k + 1)} with its text at index {@code k} of a side array; it can still merge
 * by text, and survivors come back with the same negative code.
 */
final class ScoredPairMerger {

    private final String[] texts;
    private final Map<String, Integer> idsByText;
    private final int[] orderKeys;
    private final boolean[] mergeable;
    private final IntPairMap pairs;

    /**
     * @param texts token texts by id (bytes as ISO-8859-1 strings)
     * @param idsByText the id for each text (the first id for repeated texts)
     * @param scores token scores by id
     * @param threshold only tokens scoring strictly above it are merge results
     */
    ScoredPairMerger(String[] texts, Map<String, Integer> idsByText, float[] scores, float threshold) {
        this.texts = texts;
        this.idsByText = idsByText;
        this.orderKeys = new int[texts.length];
        this.mergeable = new boolean[texts.length];
        int splits = 0;
        for (int id = 0; id < texts.length; id++) {
            orderKeys[id] = orderKey(scores[id]);
            mergeable[id] = scores[id] > threshold && idsByText.get(texts[id]) == id;
            if (mergeable[id]) {
                splits += Math.max(0, texts[id].length() - 1);
            }
        }
        this.pairs = new IntPairMap(splits);
        for (int id = 0; id < texts.length; id++) {
            if (!mergeable[id]) {
                continue;
            }
            String text = texts[id];
            for (int cut = 1; cut < text.length(); cut++) {
                Integer left = idsByText.get(text.substring(0, cut));
                Integer right = left == null ? null : idsByText.get(text.substring(cut));
                if (right != null) {
                    pairs.putIfAbsent(left, right, id);
                }
            }
        }
    }

    /**
     * Merges symbols.
     *
     * @param symbols token ids, or {@code -(k + 1)} for a non-token symbol whose text is {@code
     *     unknownTexts[k]}
     * @param unknownTexts texts of non-token symbols (may be empty when all symbols are tokens)
     * @return the surviving symbols in order, coded the same way
     */
    int[] merge(int[] symbols, String[] unknownTexts) {
        int n = symbols.length;
        if (n < 2) {
            return symbols.clone();
        }
        int[] ids = symbols.clone();
        boolean[] dead = new boolean[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        LongMinHeap queue = new LongMinHeap();
        for (int i = 0; i + 1 < n; i++) {
            offer(queue, ids, unknownTexts, i, i + 1);
        }
        int alive = n;
        while (!queue.isEmpty()) {
            long entry = queue.pop();
            int left = (int) entry;
            int right = next[left];
            if (dead[left] || right < 0) {
                continue;
            }
            int merged = mergeOf(ids[left], ids[right], unknownTexts);
            // An entry is stale when its pair has changed since it was queued.
            if (merged < 0 || orderKeys[merged] != (int) (entry >> 32)) {
                continue;
            }
            ids[left] = merged;
            dead[right] = true;
            alive--;
            next[left] = next[right];
            if (next[left] >= 0) {
                prev[next[left]] = left;
            }
            if (prev[left] >= 0) {
                offer(queue, ids, unknownTexts, prev[left], left);
            }
            if (next[left] >= 0) {
                offer(queue, ids, unknownTexts, left, next[left]);
            }
        }
        int[] result = new int[alive];
        int k = 0;
        for (int i = 0; i >= 0; i = next[i]) {
            result[k++] = ids[i];
        }
        return result;
    }

    private void offer(LongMinHeap queue, int[] ids, String[] unknownTexts, int left, int right) {
        int merged = mergeOf(ids[left], ids[right], unknownTexts);
        if (merged >= 0) {
            queue.push(((long) orderKeys[merged] << 32) | left);
        }
    }

    /** The token two symbols merge into, or -1. */
    private int mergeOf(int left, int right, String[] unknownTexts) {
        if (left >= 0 && right >= 0) {
            return pairs.get(left, right);
        }
        String text = textOf(left, unknownTexts) + textOf(right, unknownTexts);
        Integer id = idsByText.get(text);
        return id != null && mergeable[id] ? id : -1;
    }

    private String textOf(int symbol, String[] unknownTexts) {
        return symbol >= 0 ? texts[symbol] : unknownTexts[-symbol - 1];
    }

    /**
     * Maps a score to an int that sorts ascending as the score descends. -0.0 and 0.0 map alike
     * because the reference implementations compare floats, which treat them as equal.
     */
    static int orderKey(float score) {
        float negated = score == 0f ? 0f : -score;
        int bits = Float.floatToIntBits(negated);
        return bits >= 0 ? bits : bits ^ 0x7FFFFFFF;
    }
}
