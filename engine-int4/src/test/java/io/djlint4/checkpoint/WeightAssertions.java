package io.djlint4.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.model.LayerWeights;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import java.util.Arrays;
import org.junit.jupiter.api.function.Executable;

/** Comparisons of whole models, naming the first differing tensor; for tests in any module. */
public final class WeightAssertions {

    private WeightAssertions() {}

    /**
     * Asserts bit-identical weights (and tying by identity when the config ties).
     *
     * @param expected the expected weights
     * @param actual the weights read
     */
    public static void assertSameWeights(ModelWeights expected, ModelWeights actual) {
        assertCloseWeights(expected, actual, 0);
    }

    /** Asserts every value within {@code tol} of the expected one. */
    public static void assertCloseWeights(ModelWeights expected, ModelWeights actual, double tol) {
        ModelConfig c = actual.config();
        assertEquals(expected.layers().length, actual.layers().length, "layers");
        check("tokenEmbedding", expected.tokenEmbedding(), actual.tokenEmbedding(), tol);
        check("finalNorm", expected.finalNorm(), actual.finalNorm(), tol);
        check("lmHead", expected.lmHead(), actual.lmHead(), tol);
        if (c.tieWordEmbeddings()) {
            assertSame(actual.tokenEmbedding(), actual.lmHead(), "tied lmHead must be the embedding array");
        }
        for (int i = 0; i < expected.layers().length; i++) {
            LayerWeights e = expected.layers()[i];
            LayerWeights a = actual.layers()[i];
            String p = "layer " + i + " ";
            check(p + "attnNorm", e.attnNorm(), a.attnNorm(), tol);
            check(p + "wq", e.wq(), a.wq(), tol);
            check(p + "wk", e.wk(), a.wk(), tol);
            check(p + "wv", e.wv(), a.wv(), tol);
            check(p + "wo", e.wo(), a.wo(), tol);
            check(p + "bq", e.bq(), a.bq(), tol);
            check(p + "bk", e.bk(), a.bk(), tol);
            check(p + "bv", e.bv(), a.bv(), tol);
            check(p + "qNorm", e.qNorm(), a.qNorm(), tol);
            check(p + "kNorm", e.kNorm(), a.kNorm(), tol);
            check(p + "ffnNorm", e.ffnNorm(), a.ffnNorm(), tol);
            check(p + "wGate", e.wGate(), a.wGate(), tol);
            check(p + "wUp", e.wUp(), a.wUp(), tol);
            check(p + "wDown", e.wDown(), a.wDown(), tol);
        }
    }

    private static void check(String name, float[] e, float[] a, double tol) {
        if (e == null) {
            assertNull(a, name + " should be absent");
            return;
        }
        assertNotNull(a, name + " is missing");
        assertEquals(e.length, a.length, name + " length");
        for (int i = 0; i < e.length; i++) {
            if (tol == 0 ? Float.floatToIntBits(e[i]) != Float.floatToIntBits(a[i]) : !(Math.abs(e[i] - a[i]) <= tol)) {
                throw new AssertionError(name + "[" + i + "]: expected " + e[i] + " but was " + a[i] + " (tol " + tol + ")");
            }
        }
    }

    /** Asserts the configs agree field by field (eos ids by content). */
    public static void assertSameConfig(ModelConfig e, ModelConfig a) {
        assertEquals(e.architecture(), a.architecture());
        assertEquals(e.hiddenSize(), a.hiddenSize());
        assertEquals(e.intermediateSize(), a.intermediateSize());
        assertEquals(e.numLayers(), a.numLayers());
        assertEquals(e.numHeads(), a.numHeads());
        assertEquals(e.numKvHeads(), a.numKvHeads());
        assertEquals(e.headDim(), a.headDim());
        assertEquals(e.vocabSize(), a.vocabSize());
        assertEquals(e.rmsNormEps(), a.rmsNormEps(), 0.0);
        assertEquals(e.ropeTheta(), a.ropeTheta(), 0.0);
        assertEquals(e.maxPositionEmbeddings(), a.maxPositionEmbeddings());
        assertEquals(e.tieWordEmbeddings(), a.tieWordEmbeddings());
        assertEquals(e.attentionBias(), a.attentionBias());
        assertEquals(e.qkNorm(), a.qkNorm());
        assertEquals(e.bosTokenId(), a.bosTokenId());
        assertEquals(Arrays.toString(e.eosTokenIds()), Arrays.toString(a.eosTokenIds()));
    }

    /**
     * Asserts that running {@code r} throws a {@link CheckpointFormatException} whose message
     * contains every fragment (the culprit, the file, ...).
     */
    public static CheckpointFormatException assertFormatError(Executable r, String... fragments) {
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, r);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message lacks '" + f + "': " + e.getMessage());
        }
        return e;
    }
}
