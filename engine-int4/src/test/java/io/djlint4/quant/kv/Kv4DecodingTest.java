package io.djlint4.quant.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.model.Architecture;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.ForwardResult;
import io.djlint4.model.KvCache;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.model.RandomWeights;
import io.djlint4.quant.ModelQuantizer;
import io.djlint4.quant.QuantRecipe;
import io.djlint4.quant.RecipeSettings;
import io.djlint4.quant.calib.CalibrationSet;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code kv4} models of {@link ModelQuantizer}: their caches hold 4-bit grid values, and
 * decoding against such a cache computes what one call over all tokens computes.
 *
 * <p>What must be equal: because every grid covers one token, a token's cached key and value
 * depend only on that token's key and value before rounding, which depend only on earlier tokens
 * through the (already rounded) cache. So a prefill of n tokens and n one-token steps see the same
 * rounded cache at every position, and each position's logits and the final cache agree up to
 * float summation order. They do not agree with the full-precision model, which is checked too,
 * so the equality is not the trivial one of a cache that was never rounded.
 */
class Kv4DecodingTest {

    /** GQA, hidden 128, heads of 32: every rotation has a Hadamard construction. */
    private static final ModelConfig SMALL =
            new ModelConfig(Architecture.LLAMA, 128, 256, 2, 4, 2, 32, 97, 1e-5, 1e4, null, 256, false, false, false, 1, new int[] {2});

    private static final ModelWeights WEIGHTS = RandomWeights.of(SMALL, 8);
    private static final long[] TOKENS = new SplittableRandom(3).longs(12, 3, SMALL.vocabSize()).toArray();
    private static final ModelQuantizer QUANTIZER = new ModelQuantizer(RecipeSettings.DEFAULT.withDfrotIterations(3));

    private static DecoderModel build(String recipe) {
        CalibrationSet calibration = CalibrationSet.random(SMALL.vocabSize(), 2, 32, 5);
        return QUANTIZER.quantize(WEIGHTS, QuantRecipe.parse(recipe), calibration);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fp32+kv4", "w4a16+kv4", "w4a4+kv4", "w4a4+rot+kv4", "w4a4+rrs+kv4", "w4a4+dfrot+kv4",
        "w4a16+gptq+kv4", "w4a4+rot+gptq+kv4", "w4a16+adadim+kv4"})
    void everyRecipeCachesKeysAndValuesOnThe4BitGrid(String recipe) {
        KvCache cache = build(recipe).forward(ForwardRequest.of(TOKENS, false)).present();
        for (int l = 0; l < SMALL.numLayers(); l++) {
            assertEquals(TOKENS.length * SMALL.numKvHeads(),
                    KvGrid.assertOnGrid(cache.keys(l), 1, SMALL.numKvHeads(), TOKENS.length, SMALL.headDim(), false));
            KvGrid.assertOnGrid(cache.values(l), 1, SMALL.numKvHeads(), TOKENS.length, SMALL.headDim(), false);
        }
    }

    @Test
    void perTokenValueGroupsSpanTheKvHeads() {
        ModelQuantizer q = new ModelQuantizer(RecipeSettings.DEFAULT, new KvCacheSettings(KvCacheSettings.ValueGroups.PER_TOKEN, true, 1f));
        KvCache cache = q.quantize(WEIGHTS, QuantRecipe.parse("w4a4+rot+kv4")).forward(ForwardRequest.of(TOKENS, false)).present();
        assertEquals(TOKENS.length, KvGrid.assertOnGrid(cache.values(0), 1, SMALL.numKvHeads(), TOKENS.length, SMALL.headDim(), true));
        // Per-head grids are finer: at least one head's values are off the shared per-token grid.
        assertThrows(AssertionError.class,
                () -> KvGrid.assertOnGrid(build("w4a4+rot+kv4").forward(ForwardRequest.of(TOKENS, false)).present().values(0),
                        1, SMALL.numKvHeads(), TOKENS.length, SMALL.headDim(), true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"fp32+kv4", "w4a4+rot+kv4"})
    void decodingTokenByTokenMatchesThePrefillOfTheSameTokens(String recipe) {
        DecoderModel model = build(recipe);
        int vocab = SMALL.vocabSize();
        ForwardResult prefill = model.forward(ForwardRequest.of(TOKENS, true));

        ForwardResult step = model.forward(ForwardRequest.of(Arrays.copyOf(TOKENS, 1), false));
        assertClose(prefill.logits(), 0, step.logits(), 0, vocab, recipe + " position 0");
        for (int t = 1; t < TOKENS.length; t++) {
            step = model.forward(ForwardRequest.next(TOKENS[t], step.present()));
            assertClose(prefill.logits(), t * vocab, step.logits(), 0, vocab, recipe + " position " + t);
        }
        for (int l = 0; l < SMALL.numLayers(); l++) {
            assertClose(prefill.present().keys(l), 0, step.present().keys(l), 0, prefill.present().keys(l).length, "keys " + l);
            assertClose(prefill.present().values(l), 0, step.present().values(l), 0, prefill.present().values(l).length, "values " + l);
        }

        // Not the trivial agreement of an unrounded cache: the same recipe without kv4 differs.
        DecoderModel without = build(recipe.replace("+kv4", ""));
        float[] plain = without.forward(ForwardRequest.of(TOKENS, true)).logits();
        assertTrue(maxDiff(plain, prefill.logits()) > 1e-2 * absMax(plain), recipe + " equals its kv16 model");
    }

    @Test
    void aChunkContinuingAQuantizedCacheMatchesThePrefill() {
        DecoderModel model = build("w4a4+rot+kv4");
        int vocab = SMALL.vocabSize();
        ForwardResult prefill = model.forward(ForwardRequest.of(TOKENS, true));
        ForwardResult head = model.forward(ForwardRequest.of(Arrays.copyOf(TOKENS, 5), false));
        long[] rest = Arrays.copyOfRange(TOKENS, 5, TOKENS.length);
        ForwardResult tail = model.forward(new ForwardRequest(1, rest.length, rest, null, null, head.present(), true, null));
        assertClose(prefill.logits(), 5 * vocab, tail.logits(), 0, rest.length * vocab, "chunk");
    }

    private static void assertClose(float[] expected, int eOff, float[] actual, int aOff, int n, String what) {
        float[] e = Arrays.copyOfRange(expected, eOff, eOff + n);
        float[] a = Arrays.copyOfRange(actual, aOff, aOff + n);
        double d = maxDiff(e, a);
        assertTrue(d <= 1e-5 * Math.max(1, absMax(e)), what + ": max |Δ| " + d + " of " + absMax(e));
    }

    private static double maxDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    private static float absMax(float[] x) {
        float m = 0;
        for (float v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
