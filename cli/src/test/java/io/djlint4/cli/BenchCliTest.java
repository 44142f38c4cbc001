package io.djlint4.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench --shape} on random weights of a tiny configuration. */
class BenchCliTest {

    private static final String TINY_CONFIG = "{\"model_type\": \"qwen2\", \"hidden_size\": 32,"
            + " \"intermediate_size\": 64, \"num_hidden_layers\": 2, \"num_attention_heads\": 4,"
            + " \"num_key_value_heads\": 2, \"vocab_size\": 100, \"max_position_embeddings\": 64,"
            + " \"rms_norm_eps\": 1e-6, \"tie_word_embeddings\": true}";

    @TempDir
    Path dir;

    @Test
    void benchmarksRandomWeightsOfAConfigShape() throws IOException {
        Path config = Files.writeString(dir.resolve("config.json"), TINY_CONFIG);

        CliRun run = CliRun.of("bench", "--shape", config.toString(), "--prompt-tokens", "8", "--gen-tokens", "4",
                "--rounds", "1", "--threads", "1", "--lm-head", "bf16", "--json");

        assertEquals(0, run.exitCode(), run::toString);
        JsonObject r = JsonParser.parseString(run.out()).getAsJsonObject();
        assertEquals("bf16", r.get("lm_head").getAsString());
        assertEquals(8, r.get("prompt_tokens").getAsInt());
        assertEquals(4, r.get("gen_tokens").getAsInt());
        assertEquals(1, r.get("threads").getAsInt());
        assertEquals(1, r.get("batch").getAsInt());
        assertTrue(r.get("prefill_tokens_per_s").getAsDouble() > 0, r::toString);
        assertTrue(r.get("decode_tokens_per_s").getAsDouble() > 0, r::toString);
        assertTrue(r.get("peak_heap_bytes").getAsLong() > 0, r::toString);
        assertTrue(r.get("source").getAsString().endsWith("config.json"), r::toString);
    }

    @Test
    void unknownClassifierPrecisionIsAUsageErrorBeforeLoading() throws IOException {
        Path config = Files.writeString(dir.resolve("config.json"), TINY_CONFIG);

        CliRun run = CliRun.of("bench", "--shape", config.toString(), "--lm-head", "fp16");

        assertEquals(Int4Cli.USAGE, run.exitCode(), run::toString);
        assertEquals("int4: error: --lm-head must be fp32, bf16 or int8, got 'fp16' (see 'int4 bench --help')\n", run.err());
    }

    @Test
    void decodesSeveralSequencesTogether() throws IOException {
        Path config = Files.writeString(dir.resolve("config.json"), TINY_CONFIG);

        CliRun run = CliRun.of("bench", "--shape", config.toString(), "--prompt-tokens", "4", "--gen-tokens", "3",
                "--rounds", "1", "--threads", "1", "--batch", "3");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("(4-token prompt each of 3 sequences together, best of 1)"), run::toString);
        assertTrue(run.out().contains("(3 tokens each of 3 sequences together, best of 1)"), run::toString);
        CliRun zero = CliRun.of("bench", "--shape", config.toString(), "--batch", "0");
        assertEquals(Int4Cli.USAGE, zero.exitCode(), zero::toString);
    }

    @Test
    void promptLongerThanTheContextIsReported() throws IOException {
        Path config = Files.writeString(dir.resolve("config.json"), TINY_CONFIG);

        CliRun run = CliRun.of("bench", "--shape", config.toString(), "--prompt-tokens", "60", "--gen-tokens", "8");

        assertEquals(Int4Cli.FAILURE, run.exitCode(), run::toString);
        assertEquals("int4: error: prompt + generated tokens (68) exceed the model's context of 64\n", run.err());
    }

    @Test
    void malformedShapeConfigIsNamed() throws IOException {
        Path config = Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"llama\"}");

        CliRun run = CliRun.of("bench", "--shape", config.toString());

        assertEquals(Int4Cli.FAILURE, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("int4: error: " + config), run::toString);
        assertEquals(1, run.err().lines().count(), run::toString);
    }
}
