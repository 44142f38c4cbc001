package io.djlint4.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenerationLoopTest {

    private final LetterTokenizer tokenizer = new LetterTokenizer("abcdefgh <>");

    private GenerationResult run(ScriptedLogits model, int[] prompt, GenerationConfig config, List<String> pieces) {
        return new GenerationLoop(model, tokenizer).generate(prompt, config, pieces::add);
    }

    @Test
    void greedyFollowsTheModelUntilTheTokenLimit() {
        int[] script = tokenizer.ids("abcdefgh");
        ScriptedLogits model = new ScriptedLogits(tokenizer.vocabSize(), script);
        int[] prompt = {LetterTokenizer.BOS, tokenizer.id('h')};
        List<String> pieces = new ArrayList<>();

        GenerationResult r = run(model, prompt, GenerationConfig.of(5, SamplingConfig.GREEDY), pieces);

        assertArrayEquals(tokenizer.ids("abcde"), r.tokens());
        assertArrayEquals(prompt, r.promptIds());
        assertEquals("abcde", r.text());
        assertEquals(List.of("a", "b", "c", "d", "e"), pieces);
        assertEquals(StopReason.MAX_TOKENS, r.stopReason());
        assertEquals(1, model.prefills.size());
        assertArrayEquals(prompt, model.prefills.get(0));
        // The last token is never fed back: nothing would read its logits.
        assertEquals(List.of(tokenizer.id('a'), tokenizer.id('b'), tokenizer.id('c'), tokenizer.id('d')), model.fed);
        assertEquals(4, r.decodeSteps());
        assertTrue(r.prefillNanos() > 0);
        assertTrue(r.prefillTokensPerSecond() > 0);
        assertTrue(r.decodeTokensPerSecond() > 0);
    }

    @Test
    void eosEndsGenerationAndAddsNoText() {
        int[] script = {tokenizer.id('a'), tokenizer.id('b'), LetterTokenizer.EOS, tokenizer.id('c')};
        ScriptedLogits model = new ScriptedLogits(tokenizer.vocabSize(), script);
        List<String> pieces = new ArrayList<>();

        GenerationResult r = run(
                model, new int[] {LetterTokenizer.BOS}, GenerationConfig.of(10, SamplingConfig.GREEDY, LetterTokenizer.EOS),
                pieces);

        assertArrayEquals(new int[] {tokenizer.id('a'), tokenizer.id('b'), LetterTokenizer.EOS}, r.tokens());
        assertEquals("ab", r.text());
        assertEquals("ab", String.join("", pieces));
        assertEquals(StopReason.EOS, r.stopReason());
    }

    @Test
    void eosIdsOnlyStopWhenConfigured() {
        int[] script = {tokenizer.id('a'), LetterTokenizer.EOS, tokenizer.id('b')};
        ScriptedLogits model = new ScriptedLogits(tokenizer.vocabSize(), script);

        GenerationResult r = run(model, new int[] {LetterTokenizer.BOS}, GenerationConfig.of(3, SamplingConfig.GREEDY),
                new ArrayList<>());

        assertEquals(StopReason.MAX_TOKENS, r.stopReason());
        assertEquals("ab", r.text());
    }

    @Test
    void stopStringSpanningTokensCutsTheTextAndIsNeverStreamed() {
        int[] script = tokenizer.ids("ab<>cd<>h");
        ScriptedLogits model = new ScriptedLogits(tokenizer.vocabSize(), script);
        List<String> pieces = new ArrayList<>();
        GenerationConfig config = new GenerationConfig(20, SamplingConfig.GREEDY, null, List.of("d<>", "gh"));

        GenerationResult r = run(model, new int[] {LetterTokenizer.BOS}, config, pieces);

        assertEquals("ab<>c", r.text());
        assertEquals("ab<>c", String.join("", pieces));
        assertEquals(StopReason.STOP_STRING, r.stopReason());
        // Generation stops at the token completing the stop string.
        assertArrayEquals(tokenizer.ids("ab<>cd<>"), r.tokens());
    }

    @Test
    void heldBackTextIsReleasedWhenItTurnsOutNotToBeAStopString() {
        int[] script = tokenizer.ids("abac");
        ScriptedLogits model = new ScriptedLogits(tokenizer.vocabSize(), script);
        List<String> pieces = new ArrayList<>();
        GenerationConfig config = new GenerationConfig(4, SamplingConfig.GREEDY, null, List.of("abc", "acx"));

        GenerationResult r = run(model, new int[] {LetterTokenizer.BOS}, config, pieces);

        assertEquals("abac", r.text());
        assertEquals("abac", String.join("", pieces));
        assertEquals(StopReason.MAX_TOKENS, r.stopReason());
        // "a" and "ab" may start "abc"; "a", then "ac" may start "acx": held until the end.
        assertEquals(List.of("ab", "ac"), pieces);
    }

    @Test
    void repetitionPenaltySeesThePromptAndGeneratedTokens() {
        int a = tokenizer.id('a');
        int b = tokenizer.id('b');
        int c = tokenizer.id('c');
        // The model always prefers 'a' (10) over 'b' (9); a penalty of 2 halves the seen token.
        ScriptedLogits model = new ScriptedLogits(
                tokenizer.vocabSize(), new int[] {a, a, a}, new int[] {b, b, c});
        SamplingConfig penalty = new SamplingConfig(0, 0, 1, 2, 0);

        GenerationResult r = run(model, new int[] {LetterTokenizer.BOS, a}, GenerationConfig.of(3, penalty),
                new ArrayList<>());

        // Step 0: 'a' is in the prompt (5 < 9): 'b'. Step 1: 'b' penalized too, 'a' 5 vs 'b' 4.5: 'a'.
        // Step 2: 'a' 5 vs 'c' 9: 'c'.
        assertArrayEquals(new int[] {b, a, c}, r.tokens());
    }

    @Test
    void samplingIsReproducibleForASeed() {
        int vocab = tokenizer.vocabSize();
        LogitsSource flat = new LogitsSource() {
            @Override
            public float[] prefill(int[] promptIds) {
                return new float[vocab];
            }

            @Override
            public float[] next(int tokenId) {
                return new float[vocab];
            }
        };
        SamplingConfig sampled = new SamplingConfig(1, 0, 1, 1, 42);
        GenerationConfig config = GenerationConfig.of(30, sampled);
        int[] first = new GenerationLoop(flat, tokenizer).generate(new int[] {0}, config, s -> { }).tokens();
        int[] second = new GenerationLoop(flat, tokenizer).generate(new int[] {0}, config, s -> { }).tokens();

        assertArrayEquals(first, second);
        assertFalse(java.util.Arrays.stream(first).allMatch(t -> t == first[0]), "uniform logits give varied tokens");
    }

    @Test
    void rejectsAnEmptyPromptAndBadLimits() {
        ScriptedLogits model = new ScriptedLogits(tokenizer.vocabSize(), tokenizer.ids("a"));
        GenerationLoop loop = new GenerationLoop(model, tokenizer);
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> loop.generate(new int[0], GenerationConfig.of(1, SamplingConfig.GREEDY), s -> { }));
        assertEquals("the prompt has no tokens", empty.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> GenerationConfig.of(0, SamplingConfig.GREEDY));
        assertEquals("max new tokens must be at least 1, got 0", zero.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new GenerationConfig(1, SamplingConfig.GREEDY, null, List.of("")));
    }
}
