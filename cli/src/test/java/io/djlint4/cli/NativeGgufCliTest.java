package io.djlint4.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.djlint4.checkpoint.GgufType;
import io.djlint4.checkpoint.RandomCheckpoints;
import io.djlint4.model.Architecture;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.RandomWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A GGUF file with quantized matrices runs its own blocks unless told otherwise, and says so. */
class NativeGgufCliTest {

    @TempDir Path dir;

    private Path q40File() throws IOException {
        ModelConfig c = new ModelConfig(Architecture.LLAMA, 64, 128, 2, 4, 2, 16, 67, 1e-5, 10000.0, null, 128, true,
                false, false, 1, new int[] {2});
        // A SentencePiece vocabulary of the fixture's tokens, which the eval text is made of.
        return RandomCheckpoints.ggufWriter(RandomWeights.of(c, 41), GgufType.Q4_0)
                .putString("tokenizer.ggml.model", "llama")
                .write(dir.resolve("m.gguf"));
    }

    private static List<JsonObject> jsonLines(CliRun run) {
        return run.out().lines().filter(l -> l.startsWith("{"))
                .map(l -> JsonParser.parseString(l).getAsJsonObject()).collect(Collectors.toList());
    }

    @Test
    void infoNamesTheDefaultRecipeAndTheTypes() throws IOException {
        CliRun run = CliRun.of("info", "--model", q40File().toString(), "--json");
        assertEquals(0, run.exitCode(), run::toString);
        JsonObject r = JsonParser.parseString(run.out()).getAsJsonObject();
        assertEquals("native", r.get("recipe").getAsString());
        assertEquals(2 * 7 + 1, r.getAsJsonObject("gguf_types").get("Q4_0").getAsInt(), r::toString);
        assertTrue(r.get("bytes_per_parameter").getAsDouble() < 1, r::toString);
        // Every projection is Q4_0: 18 bytes (a 16-bit scale and 32 nibbles) per 32 weights.
        assertEquals(4.5, r.get("bpw").getAsDouble(), 1e-12, r::toString);
        assertTrue(r.get("gguf_bpw").getAsDouble() > 4.5, "the F32 norms count too: " + r);
    }

    @Test
    void evalRunsNativeBesideRecipesThatExpandTheFloats() throws IOException {
        Path text = java.nio.file.Files.writeString(dir.resolve("t.txt"), "tok1 tok5 tok9 ".repeat(40));
        CliRun run = CliRun.of("eval", "--model", q40File().toString(), "--text", text.toString(), "--ctx", "16",
                "--max-windows", "2", "--quant", "native,native+a8,fp32", "--threads", "1", "--json");
        assertEquals(0, run.exitCode(), run::toString);
        List<JsonObject> rows = jsonLines(run);
        assertEquals(3, rows.size(), run::toString);
        assertEquals("native", rows.get(0).get("execution").getAsString());
        assertEquals("native", rows.get(0).get("lm_head").getAsString());
        assertTrue(rows.get(0).getAsJsonObject("gguf_types").has("Q4_0"), rows.get(0)::toString);
        // The same weights as the expanded floats: only the summation order differs.
        assertTrue(rows.get(0).get("kl_vs_fp32").getAsDouble() < 1e-6, rows.get(0)::toString);
        assertEquals("native+a8", rows.get(1).get("recipe").getAsString());
        assertTrue(rows.get(1).get("kl_vs_fp32").getAsDouble() > rows.get(0).get("kl_vs_fp32").getAsDouble(),
                run::toString);
        assertEquals("float", rows.get(2).get("execution").getAsString());
        assertEquals(4.5, rows.get(0).get("bpw").getAsDouble(), 1e-12, rows.get(0)::toString);
        assertTrue(rows.get(0).get("gguf_bpw").getAsDouble() > 4.5, rows.get(0)::toString);
        assertEquals(32.0, rows.get(2).get("bpw").getAsDouble(), rows.get(2)::toString);
        assertTrue(!rows.get(2).has("gguf_bpw"), rows.get(2)::toString);
    }

    @Test
    void nativeOnAFileThatIsNotGgufIsAClearError() throws IOException {
        Path bin = java.nio.file.Files.write(dir.resolve("m.bin"), new byte[64]);
        CliRun run = CliRun.of("generate", "--model", bin.toString(), "--quant", "native", "--prompt", "a");
        assertTrue(run.exitCode() != 0, run::toString);
    }
}
