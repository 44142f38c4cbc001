package io.djlint4.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.djlint4.model.Architecture;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.ModelConfig;
import java.io.IOException;
import io.djlint4.testing.ModelCache;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real llama.cpp GGUF file (SmolLM2-135M-Instruct, Q4_1 matrices, Q8_0 embedding), fetched by
 * {@code scripts/fetch-smollm2.sh} into the model cache; skipped when absent. The golden values
 * were computed with the {@code gguf} Python package's {@code dequantize}.
 */
class SmolLm2GgufTest {

    private static Path file;

    @BeforeAll
    static void locate() {
        file = ModelCache.smolLm2();
    }

    @Test
    void rawTensorsMatchTheReferenceDequantizer() throws IOException {
        try (GgufReader r = GgufReader.open(file)) {
            assertEquals(3, r.version());
            assertEquals(272, r.tensors().size());
            assertEquals(GgufType.Q8_0, r.info("token_embd.weight").type());
            assertEquals(GgufType.Q4_1, r.info("blk.0.attn_q.weight").type());
            float[] e = r.readFloats("token_embd.weight");
            assertEquals(-0.106544495f, e[0]);
            assertEquals(0.032978058f, e[1]);
            assertEquals(0.007411957f, e[1000]);
            assertEquals(-0.04170227f, e[e.length - 1]);
            double sum = 0;
            for (float x : e) {
                sum += x;
            }
            assertEquals(-15353.04449415207, sum, 1e-6);
            float[] q = r.readFloats("blk.0.attn_q.weight");
            assertEquals(-0.09631348f, q[0]);
            assertEquals(0.15734863f, q[1]);
            assertEquals(-0.13842773f, q[1000]);
            assertEquals(-0.25585938f, q[q.length - 1]);
            assertEquals(49152, ((String[]) r.metadata().get("tokenizer.ggml.tokens")).length);
        }
    }

    @Test
    void loadsAndPredictsParis() throws IOException {
        LoadedCheckpoint ck = CheckpointLoader.load(file);
        ModelConfig c = ck.config();
        assertEquals(Architecture.LLAMA, c.architecture());
        assertEquals(576, c.hiddenSize());
        assertEquals(1536, c.intermediateSize());
        assertEquals(30, c.numLayers());
        assertEquals(9, c.numHeads());
        assertEquals(3, c.numKvHeads());
        assertEquals(64, c.headDim());
        assertEquals(49152, c.vocabSize());
        assertEquals(1e-5, c.rmsNormEps());
        assertEquals(100000.0, c.ropeTheta());
        assertEquals(8192, c.maxPositionEmbeddings());
        assertEquals(1, c.bosTokenId());
        assertArrayEquals(new int[] {2}, c.eosTokenIds());
        assertNull(ck.weights().ropeInverseFrequencies());
        assertSame(ck.weights().tokenEmbedding(), ck.weights().lmHead());

        // Greedy next token after "The capital of France is": only right if q/k were un-permuted.
        String[] tokens = (String[]) ck.metadata().get("tokenizer.ggml.tokens");
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < tokens.length; i++) {
            ids.put(tokens[i], i);
        }
        long[] prompt = {ids.get("The"), ids.get("Ġcapital"), ids.get("Ġof"), ids.get("ĠFrance"), ids.get("Ġis")};
        float[] logits = DecoderModel.fromWeights(ck.weights()).forward(ForwardRequest.of(prompt, false)).logits();
        int off = logits.length - c.vocabSize();
        int best = 0;
        for (int i = 1; i < c.vocabSize(); i++) {
            if (logits[off + i] > logits[off + best]) {
                best = i;
            }
        }
        assertEquals("ĠParis", tokens[best]);
    }
}
