package io.djlint4.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EvalProtocolTest {

    /** BOS (1) then text tokens 100, 101, ...: what llama.cpp tokenizes a text to when it adds BOS. */
    private static int[] bosLedText(int textTokens) {
        int[] t = new int[textTokens + 1];
        t[0] = 1;
        for (int i = 1; i < t.length; i++) {
            t[i] = 99 + i;
        }
        return t;
    }

    @Test
    void llamaCppCutsContiguousChunksWhoseFirstTokenBecomesBos() {
        int[] tokens = bosLedText(19); // 20 tokens: two chunks of 8, the last 4 dropped
        ScoredWindows w = EvalProtocol.LLAMA_CPP.cut(tokens, 1, 8, 0);

        assertEquals(2, w.windows().size());
        assertArrayEquals(new long[] {1, 100, 101, 102, 103, 104, 105, 106}, w.windows().get(0));
        // Chunk 2 is tokens[8..16) = 107..114; its first token, 107, is replaced by BOS.
        assertArrayEquals(new long[] {1, 108, 109, 110, 111, 112, 113, 114}, w.windows().get(1));
        // first = n_ctx/2 = 4: logits of positions 4, 5, 6 predict tokens 5, 6, 7.
        assertEquals(4, w.firstScored());
        assertEquals(3, w.scored(0));
        assertEquals(6, w.scoredTokens());
    }

    @Test
    void llamaCppKeepsTheFirstTokenWithoutBosAndHonoursTheChunkLimit() {
        int[] tokens = bosLedText(23);
        ScoredWindows noBos = EvalProtocol.LLAMA_CPP.cut(tokens, -1, 8, 0);
        assertEquals(3, noBos.windows().size());
        assertArrayEquals(new long[] {107, 108, 109, 110, 111, 112, 113, 114}, noBos.windows().get(1));

        ScoredWindows one = EvalProtocol.LLAMA_CPP.cut(tokens, 1, 8, 1);
        assertEquals(1, one.windows().size());
        // An odd context: first = 9/2 = 4, so positions 4..7 are scored, 9 - 1 - 4 of them.
        ScoredWindows odd = EvalProtocol.LLAMA_CPP.cut(tokens, 1, 9, 0);
        assertEquals(4, odd.firstScored());
        assertEquals(4, odd.scored(0));
    }

    @Test
    void llamaCppNeedsTwoChunksOfText() {
        assertTrue(EvalProtocol.LLAMA_CPP.cut(bosLedText(14), 1, 8, 0).windows().isEmpty(), "15 < 2 x 8 tokens");
        assertEquals(2, EvalProtocol.LLAMA_CPP.cut(bosLedText(15), 1, 8, 0).windows().size());
    }

    @Test
    void windowsProtocolScoresEveryPosition() {
        ScoredWindows w = EvalProtocol.WINDOWS.cut(new int[] {10, 11, 12, 13, 14, 15, 16}, 1, 3, 0);
        assertEquals(0, w.firstScored());
        assertArrayEquals(new long[] {1, 12, 13}, w.windows().get(1));
        assertEquals(3 * 2, w.scoredTokens());
    }

    @Test
    void labelsNameTheProtocols() {
        assertEquals(EvalProtocol.LLAMA_CPP, EvalProtocol.named("llama.cpp"));
        assertEquals(EvalProtocol.WINDOWS, EvalProtocol.named("windows"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EvalProtocol.named("hf"));
        assertTrue(e.getMessage().contains("windows or llama.cpp"), e.getMessage());
    }

    @Test
    void tokenHashChangesWithAnyIdOrTheScoredPositions() {
        ScoredWindows a = EvalProtocol.LLAMA_CPP.cut(bosLedText(19), 1, 8, 0);
        ScoredWindows same = EvalProtocol.LLAMA_CPP.cut(bosLedText(19), 1, 8, 0);
        int[] changed = bosLedText(19);
        changed[12]++;
        assertEquals(a.tokenHash(), same.tokenHash());
        assertTrue(!a.tokenHash().equals(EvalProtocol.LLAMA_CPP.cut(changed, 1, 8, 0).tokenHash()));
        assertTrue(!a.tokenHash().equals(new ScoredWindows(a.windows(), 3).tokenHash()));
    }
}
