package io.djlint4.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.djlint4.testing.SharedFiles;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The commands on the real stories260K checkpoint (llama2.c format, tok512 beside it). */
class StoriesCliTest {

    private static final String PROMPT = "Once upon a time";
    private static Path model;
    private static Path wikiText;
    private static int[] greedyFromBos;

    @BeforeAll
    static void locate() throws IOException {
        model = SharedFiles.require("models/stories260K/stories260K.bin");
        wikiText = SharedFiles.require("data/wikitext-2/wiki.test.raw");
        Path reference = SharedFiles.require("models/stories260K/reference_outputs.json");
        try (Reader r = Files.newBufferedReader(reference, StandardCharsets.UTF_8)) {
            JsonArray ids = JsonParser.parseReader(r).getAsJsonObject()
                    .getAsJsonObject("greedy_from_bos_100").getAsJsonArray("ids");
            greedyFromBos = new int[ids.size()];
            for (int i = 0; i < greedyFromBos.length; i++) {
                greedyFromBos[i] = ids.get(i).getAsInt();
            }
        }
    }

    private static JsonObject json(CliRun run) {
        assertEquals(0, run.exitCode(), run::toString);
        String[] lines = run.out().strip().split("\n");
        assertEquals(1, lines.length, () -> "exactly one JSON line expected:\n" + run);
        return JsonParser.parseString(lines[0]).getAsJsonObject();
    }

    private static int[] ints(JsonArray a) {
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsInt();
        }
        return v;
    }

    @Test
    void aFloatCheckpointRunsTheRecommendedRecipeUnlessFp32IsNamed() {
        JsonObject byDefault = json(CliRun.of("generate", "--model", model.toString(), "--prompt", PROMPT,
                "--temperature", "0", "--max-tokens", "8", "--json"));
        JsonObject named = json(CliRun.of("generate", "--model", model.toString(), "--prompt", PROMPT, "--quant",
                "w4a16+g32+dq", "--temperature", "0", "--max-tokens", "8", "--json"));
        JsonObject fp32 = json(CliRun.of("generate", "--model", model.toString(), "--prompt", PROMPT, "--quant",
                "fp32", "--temperature", "0", "--max-tokens", "8", "--json"));

        assertEquals("w4a16+g32+dq", byDefault.get("recipe").getAsString());
        assertEquals(named.get("text"), byDefault.get("text"));
        assertEquals("fp32", fp32.get("recipe").getAsString());
    }

    @Test
    void greedyGenerationContinuesTheReferenceSequence() {
        int newTokens = 40;
        JsonObject r = json(CliRun.of("generate", "--model", model.toString(), "--prompt", PROMPT, "--quant", "fp32",
                "--temperature", "0", "--max-tokens", String.valueOf(newTokens), "--json"));

        // The reference is greedy from BOS; its first tokens spell the prompt, so greedy decoding
        // after the prompt must reproduce the tokens that follow them.
        int[] prompt = ints(r.getAsJsonArray("prompt_tokens"));
        assertArrayEquals(java.util.Arrays.copyOf(greedyFromBos, prompt.length), prompt);
        int[] expected = java.util.Arrays.copyOfRange(greedyFromBos, prompt.length, prompt.length + newTokens);
        assertArrayEquals(expected, ints(r.getAsJsonArray("tokens")));
        assertTrue(r.get("text").getAsString().startsWith(", there was a little girl named Lily."), r::toString);
        assertEquals("max_tokens", r.get("stop_reason").getAsString());
        assertTrue(r.get("prefill_tokens_per_s").getAsDouble() > 0);
        assertTrue(r.get("decode_tokens_per_s").getAsDouble() > 0);
    }

    @Test
    void generateStreamsThePromptAndContinuationAndReportsSpeedOnStderr() {
        CliRun run = CliRun.of("generate", "--model", model.toString(), "--prompt", PROMPT,
                "--temperature", "0", "--max-tokens", "10");

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("Once upon a time, there was a little girl named Lily\n", run.out());
        assertTrue(run.err().contains("[5 prompt tokens at "), run::toString);
        assertTrue(run.err().contains("10 generated at "), run::toString);
    }

    @Test
    void sampledGenerationIsReproducibleForASeed() {
        String[] args = {"generate", "--model", model.toString(), "--prompt", PROMPT, "--temperature", "1",
                "--seed", "7", "--max-tokens", "20", "--json"};
        assertEquals(json(CliRun.of(args)).get("tokens"), json(CliRun.of(args)).get("tokens"));
    }

    @Test
    void evalOfFp32HasFinitePerplexityAndNoDivergence() {
        JsonObject r = json(CliRun.of("eval", "--model", model.toString(), "--text", wikiText.toString(),
                "--ctx", "64", "--max-windows", "3", "--quant", "fp32", "--json"));

        double perplexity = r.get("perplexity").getAsDouble();
        assertTrue(Double.isFinite(perplexity) && perplexity > 1 && perplexity < 512, r::toString);
        assertEquals(0.0, r.get("kl_vs_fp32").getAsDouble());
        assertEquals(1.0, r.get("top1_agreement").getAsDouble());
        assertEquals(3, r.get("windows").getAsInt());
        assertEquals(3 * 63, r.get("tokens").getAsLong());
        assertEquals("fp32", r.get("recipe").getAsString());
    }

    @ParameterizedTest
    @CsvSource({"bf16, 1e-3", "int8, 1e-2"})
    void aRoundedClassifierIsScoredAgainstTheFloatModel(String lmHead, double klBound) {
        JsonObject r = json(CliRun.of("eval", "--model", model.toString(), "--text", wikiText.toString(),
                "--ctx", "64", "--max-windows", "2", "--quant", "fp32", "--lm-head", lmHead, "--json"));

        double kl = r.get("kl_vs_fp32").getAsDouble();
        assertTrue(kl > 0 && kl < klBound, r::toString);
        assertEquals("fp32", r.get("recipe").getAsString());
        assertEquals(lmHead, r.get("lm_head").getAsString());
    }

    @Test
    void evalOfAQuantizedRecipeDivergesFromFp32() {
        JsonObject r = json(CliRun.of("eval", "--model", model.toString(), "--text", wikiText.toString(),
                "--ctx", "64", "--max-windows", "2", "--quant", "w4a4", "--json"));

        double kl = r.get("kl_vs_fp32").getAsDouble();
        assertTrue(kl > 0 && Double.isFinite(kl), r::toString);
        assertTrue(r.get("top1_agreement").getAsDouble() < 1, r::toString);
        assertEquals("w4a4", r.get("recipe").getAsString());
        assertEquals("packed", r.get("execution").getAsString());
    }

    @Test
    void simulatedEvalScoresTheSameCodesAsThePackedKernels() {
        String[] common = {"eval", "--model", model.toString(), "--text", wikiText.toString(),
                "--ctx", "64", "--max-windows", "2", "--quant", "w4a8,fp32,w4a4+rptq", "--calib-samples", "2",
                "--calib-len", "64", "--json"};
        String[] packedLines = runLines(common);
        String[] simulatedLines = runLines(concat(common, "--simulated"));
        JsonObject packed = JsonParser.parseString(packedLines[0]).getAsJsonObject();
        JsonObject simulated = JsonParser.parseString(simulatedLines[0]).getAsJsonObject();
        assertEquals("packed", packed.get("execution").getAsString());
        assertEquals("simulated", simulated.get("execution").getAsString());
        assertEquals(simulated.get("kl_vs_fp32").getAsDouble(), packed.get("kl_vs_fp32").getAsDouble(),
                0.01 * simulated.get("kl_vs_fp32").getAsDouble(), packed + " vs " + simulated);
        assertEquals("float", JsonParser.parseString(packedLines[1]).getAsJsonObject().get("execution").getAsString());
        assertEquals("simulated",
                JsonParser.parseString(packedLines[2]).getAsJsonObject().get("execution").getAsString(),
                "RPTQ has no packed kernels");
    }

    private static String[] runLines(String... args) {
        CliRun run = CliRun.of(args);
        assertEquals(0, run.exitCode(), run::toString);
        return run.out().strip().split("\n");
    }

    private static String[] concat(String[] args, String extra) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = extra;
        return all;
    }

    @Test
    void evalOfSeveralRecipesSharesOneFullPrecisionPassAndMatchesSingleRuns() {
        String wikiValid = SharedFiles.require("data/wikitext-2/wiki.valid.tokens").toString();
        CliRun run = CliRun.of("eval", "--model", model.toString(), "--text", wikiText.toString(),
                "--ctx", "64", "--max-windows", "2", "--quant", "fp32,w4a4,w4a16+gptq", "--calib", wikiValid,
                "--calib-samples", "4", "--calib-len", "64", "--json");
        assertEquals(0, run.exitCode(), run::toString);
        String[] lines = run.out().strip().split("\n");
        assertEquals(3, lines.length, run::toString);
        JsonObject fp32 = JsonParser.parseString(lines[0]).getAsJsonObject();
        JsonObject w4a4 = JsonParser.parseString(lines[1]).getAsJsonObject();
        JsonObject gptq = JsonParser.parseString(lines[2]).getAsJsonObject();
        assertEquals("w4a16+gptq", gptq.get("recipe").getAsString());
        assertEquals(0.0, fp32.get("kl_vs_fp32").getAsDouble());
        assertTrue(gptq.get("kl_vs_fp32").getAsDouble() > 0, gptq::toString);

        JsonObject single = json(CliRun.of("eval", "--model", model.toString(), "--text", wikiText.toString(),
                "--ctx", "64", "--max-windows", "2", "--quant", "w4a4", "--json"));
        for (String field : new String[] {"perplexity", "kl_vs_fp32", "top1_agreement", "tokens"}) {
            assertEquals(single.get(field), w4a4.get(field), field);
        }
    }

    @Test
    void statsReportsEveryLayerAndSlot() {
        JsonObject r = json(CliRun.of("stats", "--model", model.toString(), "--text", wikiText.toString(),
                "--ctx", "32", "--max-windows", "2", "--top", "3", "--json"));

        JsonArray slots = r.getAsJsonArray("slots");
        assertEquals(5 * 4, slots.size(), "5 layers x 4 slots");
        JsonObject first = slots.get(0).getAsJsonObject();
        assertEquals(0, first.get("layer").getAsInt());
        assertEquals("QKV", first.get("slot").getAsString());
        JsonArray channels = first.getAsJsonArray("top_channels");
        assertEquals(3, channels.size());
        double top = channels.get(0).getAsJsonObject().get("max_abs").getAsDouble();
        double second = channels.get(1).getAsJsonObject().get("max_abs").getAsDouble();
        assertTrue(top >= second && top > 0);
        assertTrue(first.get("channel_outlier_ratio").getAsDouble() >= 1);
        assertTrue(first.get("max_token_window").getAsInt() < 2);
        assertTrue(first.get("max_token_position").getAsInt() < 32);
    }

    @Test
    void statsTableHasOneRowPerLayerAndSlot() {
        CliRun run = CliRun.of("stats", "--model", model.toString(), "--text", wikiText.toString(),
                "--ctx", "32", "--max-windows", "1");

        assertEquals(0, run.exitCode(), run::toString);
        String[] lines = run.out().split("\n");
        assertEquals(2 + 20, lines.length, run::toString);
        assertTrue(lines[2].startsWith("0     QKV "), run::toString);
    }

    @Test
    void infoDescribesTheCheckpoint() {
        JsonObject r = json(CliRun.of("info", "--model", model.toString(), "--json"));

        assertEquals("llama2.c", r.get("format").getAsString());
        assertEquals("llama", r.get("architecture").getAsString());
        assertEquals(5, r.get("layers").getAsInt());
        assertEquals(64, r.get("hidden_size").getAsInt());
        assertEquals(8, r.get("heads").getAsInt());
        assertEquals(4, r.get("kv_heads").getAsInt());
        assertEquals(512, r.get("vocab_size").getAsInt());
        // Tied classifier: the embedding counts once. 512*64 + 5*(2*64 + 64*64*2 + 32*64*2 + 3*172*64) + 64.
        assertEquals(260_032, r.get("parameters").getAsLong());
        assertEquals(4, r.get("bytes_per_parameter").getAsInt());
        assertEquals(32.0, r.get("bpw").getAsDouble(), "the projections are stored as floats");
        assertEquals("w4a16+g32+dq", r.get("recipe").getAsString(), "a float checkpoint runs the recommended recipe");
        assertTrue(r.get("gguf_bpw").isJsonNull());
        assertEquals("Llama2cTokenizer", r.get("tokenizer").getAsString());
        assertTrue(r.get("chat_template").isJsonNull());
    }

    @Test
    void chatNeedsAChatTemplate() {
        CliRun run = CliRun.withInput("Hello\n", "chat", "--model", model.toString());

        assertEquals(Int4Cli.FAILURE, run.exitCode(), run::toString);
        assertEquals("int4: error: " + model + " has no chat template of a known family (ChatML, Llama 3, Qwen3);"
                + " chat needs an instruction-tuned model\n", run.err());
    }

    @Test
    void calibratedRecipesWithoutTextCalibrateOnTextSampledFromTheModel() {
        String[] args = {"generate", "--model", model.toString(), "--prompt", PROMPT, "--quant", "w4a16+gptq",
                "--calib-samples", "4", "--calib-len", "48", "--temperature", "0", "--max-tokens", "12", "--json"};
        JsonObject first = json(CliRun.of(args));
        assertEquals(12, first.getAsJsonArray("tokens").size(), first::toString);
        assertEquals(first.get("tokens"), json(CliRun.of(args)).get("tokens"), "sampling is seeded");
    }

    @Test
    void gptqRecipeRunsWithCalibrationText(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path calib = dir.resolve("calib.txt");
        Files.writeString(calib, "Once upon a time, there was a little girl named Lily. She loved to play outside."
                .repeat(4));
        CliRun run = CliRun.of("generate", "--model", model.toString(), "--prompt", "Once upon a time",
                "--quant", "w4a16+gptq", "--calib", calib.toString(), "--temperature", "0", "--max-tokens", "8",
                "--json");

        assertEquals(Int4Cli.OK, run.exitCode(), run::toString);
        assertTrue(run.out().contains("\"recipe\":\"w4a16+gptq\""), run.out());
    }

    @Test
    void textShorterThanOneWindowIsReported(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("short.txt"), "Hi.");
        CliRun run = CliRun.of("eval", "--model", model.toString(), "--text", text.toString(), "--ctx", "64");

        assertEquals(Int4Cli.FAILURE, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("int4: error: the text has "), run::toString);
        assertTrue(run.err().endsWith("fewer than one window of --ctx 64; give more text or a smaller --ctx\n"),
                run::toString);
    }
}
