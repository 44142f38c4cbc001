package io.djlint4.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.djlint4.quant.saved.QuantizedModelHeader;
import io.djlint4.testing.SharedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code int4 quantize} on stories260K, and the saved model loaded back by the other commands. */
class QuantizeCliTest {

    private static Path model;

    @TempDir
    Path dir;

    @BeforeAll
    static void locate() {
        model = SharedFiles.require("models/stories260K/stories260K.bin");
    }

    private static JsonObject json(CliRun run) {
        assertEquals(0, run.exitCode(), run::toString);
        String[] lines = run.out().strip().split("\n");
        assertEquals(1, lines.length, () -> "exactly one JSON line expected:\n" + run);
        return JsonParser.parseString(lines[0]).getAsJsonObject();
    }

    private static void assertFails(CliRun run, int code, String message) {
        assertEquals(code, run.exitCode(), run::toString);
        assertEquals("int4: error: " + message + "\n", run.err(), run::toString);
        assertEquals("", run.out(), run::toString);
    }

    private static JsonObject generate(String... modelArgs) {
        String[] common = {"generate", "--prompt", "Once upon a time", "--temperature", "0", "--max-tokens", "12", "--json"};
        String[] args = new String[common.length + modelArgs.length];
        System.arraycopy(common, 0, args, 0, common.length);
        System.arraycopy(modelArgs, 0, args, common.length, modelArgs.length);
        return json(CliRun.of(args));
    }

    /** A weight-only plan under --weight-budget: printed by quantize and info, its bits within the budget. */
    @Test
    void weightPlanIsSavedAndShownWithinItsBudget() {
        Path out = dir.resolve("stories-w4a16-auto");
        CliRun text = CliRun.of("quantize", "--model", model.toString(), "--quant", "w4a16+g32+dq+auto",
                "--weight-budget", "4.95", "--calib-samples", "4", "--calib-len", "64", "--out", out.toString());
        assertEquals(0, text.exitCode(), text::toString);
        assertTrue(text.out().contains("weight plan: "), text::toString);
        assertTrue(text.out().contains("q_proj") && text.out().contains("down_proj"), text::toString);
        JsonObject info = json(CliRun.of("info", "--model", out.toString(), "--json"));
        assertEquals("w4a16+g32+auto+dq", info.get("recipe").getAsString());
        assertTrue(info.get("bpw").getAsDouble() <= 4.95, info::toString);
        var plan = info.getAsJsonArray("weight_plan");
        assertEquals(5 * 7, plan.size(), info::toString);
        long bits = 0;
        for (var e : plan) {
            bits += e.getAsJsonObject().get("bits").getAsLong();
        }
        // 5 layers of 45312 projection weights
        assertEquals(bits / (5.0 * 45312), info.get("bpw").getAsDouble(), 1e-9, info::toString);
        CliRun tooSmall = CliRun.of("quantize", "--model", model.toString(), "--quant", "w4a16+g32+dq+auto",
                "--weight-budget", "-1", "--out", dir.resolve("never").toString());
        assertFails(tooSmall, 2, "--weight-budget expects a positive number of bits per weight, got -1.0"
                + " (see 'int4 quantize --help')");
    }

    @Test
    void savedModelGeneratesWhatTheQuantizedCheckpointGenerates() throws IOException {
        Path out = dir.resolve("stories-w4a4-rrs");
        JsonObject q = json(CliRun.of("quantize", "--model", model.toString(), "--quant", "w4a4+rrs", "--out",
                out.toString(), "--json"));
        assertEquals(out.toAbsolutePath().toString(), q.get("out").getAsString());
        assertEquals("w4a4+rrs", q.get("recipe").getAsString());
        long bytes = q.get("bytes").getAsLong();
        try (var files = Files.list(out)) {
            assertEquals(bytes, files.mapToLong(p -> p.toFile().length()).sum());
        }
        assertTrue(Files.isRegularFile(out.resolve(QuantizedModelHeader.FILE_NAME)));
        assertTrue(Files.isRegularFile(out.resolve("tok512.bin")), "the tokenizer is copied");
        assertTrue(q.get("bytes_per_parameter").getAsDouble() < 4, q::toString);
        assertTrue(q.get("seconds").getAsDouble() > 0);

        JsonObject fromSaved = generate("--model", out.toString());
        JsonObject fromCheckpoint = generate("--model", model.toString(), "--quant", "w4a4+rrs");
        assertEquals("w4a4+rrs", fromSaved.get("recipe").getAsString());
        assertEquals(fromCheckpoint.get("tokens"), fromSaved.get("tokens"));
        assertEquals(fromSaved.get("tokens"), generate("--model", out.toString(), "--quant", "w4a4+rrs").get("tokens"));

        JsonObject info = json(CliRun.of("info", "--model", out.toString(), "--json"));
        assertEquals("w4a4+rrs", info.get("recipe").getAsString());
        assertEquals("int4-quantized", info.get("format").getAsString());
        assertEquals("Llama2cTokenizer", info.get("tokenizer").getAsString());
        // Per layer 45312 weights in 600 rows, each row a symmetric 4-bit grid with a 32-bit scale.
        assertEquals(4 + 32.0 * 600 / 45312, info.get("bpw").getAsDouble(), 1e-12, info::toString);
    }

    @Test
    void calibratedRecipesNeedNoCalibrationTextOnceSaved() {
        Path calib = SharedFiles.require("data/wikitext-2/wiki.valid.tokens");
        Path out = dir.resolve("gptq");
        CliRun run = CliRun.of("quantize", "--model", model.toString(), "--quant", "w4a16+gptq", "--calib",
                calib.toString(), "--calib-samples", "4", "--calib-len", "64", "--out", out.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().startsWith("wrote w4a16+gptq model to " + out.toAbsolutePath() + "\n"), run::toString);
        assertEquals("w4a16+gptq", generate("--model", out.toString()).get("recipe").getAsString());
        CliRun noBase = CliRun.of("eval", "--model", out.toString(), "--text", calib.toString(), "--ctx", "64",
                "--max-windows", "2", "--json");
        assertEquals(Int4Cli.FAILURE, noBase.exitCode(), noBase::toString);
        assertTrue(noBase.err().contains("(stories260K.bin): pass it with --base"), noBase::toString);
        JsonObject eval = json(CliRun.of("eval", "--model", out.toString(), "--text", calib.toString(), "--ctx", "64",
                "--max-windows", "2", "--base", model.toString(), "--json"));
        assertEquals("w4a16+gptq", eval.get("recipe").getAsString());
        assertTrue(eval.get("kl_vs_fp32").getAsDouble() > 0, eval::toString);
    }

    @Test
    void missingOut() {
        assertFails(CliRun.of("quantize", "--model", model.toString(), "--quant", "w4a4"), Int4Cli.USAGE,
                "quantize: missing required option --out (see 'int4 quantize --help')");
    }

    @Test
    void badRecipe() {
        CliRun run = CliRun.of("quantize", "--model", model.toString(), "--quant", "w5a5", "--out", dir.toString());
        assertEquals(Int4Cli.USAGE, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("int4: error: --quant: recipe 'w5a5': unknown token 'w5a5'; valid tokens:"),
                run::toString);
    }

    @Test
    void fullPrecisionIsNothingToSave() {
        assertFails(CliRun.of("quantize", "--model", model.toString(), "--quant", "fp32", "--out", dir.toString()),
                Int4Cli.USAGE, "--quant fp32 leaves the model in full precision; nothing to save"
                        + " (see 'int4 quantize --help')");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"fp4", "w4a4+rptq+kv4"})
    void fp4AndRptqModelsAreSavedAndLoadedWithoutCalibration(String recipe) {
        Path calib = SharedFiles.require("data/wikitext-2/wiki.valid.tokens");
        String[] calibration = {"--calib", calib.toString(), "--calib-samples", "2", "--calib-len", "32"};
        Path out = dir.resolve("saved");
        String[] quantize = {"quantize", "--model", model.toString(), "--quant", recipe, "--out", out.toString(), "--json"};
        JsonObject q = json(CliRun.of(concat(quantize, calibration)));
        assertEquals(recipe, q.get("recipe").getAsString());

        JsonObject fromSaved = generate("--model", out.toString());
        assertEquals(recipe, fromSaved.get("recipe").getAsString());
        JsonObject fromCheckpoint = generate(concat(new String[] {"--model", model.toString(), "--quant", recipe}, calibration));
        assertEquals(fromCheckpoint.get("tokens"), fromSaved.get("tokens"));
        JsonObject info = json(CliRun.of("info", "--model", out.toString(), "--json"));
        assertEquals("int4-quantized", info.get("format").getAsString());
        JsonObject eval = json(CliRun.of("eval", "--model", out.toString(), "--text", calib.toString(), "--ctx", "32",
                "--max-windows", "1", "--base", model.toString(), "--json"));
        assertTrue(eval.get("kl_vs_fp32").getAsDouble() > 0, eval::toString);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void existingNonEmptyOut() throws IOException {
        Files.writeString(dir.resolve("keep.txt"), "mine");
        assertFails(CliRun.of("quantize", "--model", model.toString(), "--quant", "w4a4", "--out", dir.toString()),
                Int4Cli.FAILURE, "--out " + dir + " is not empty; choose a new directory or allow overwriting"
                        + " (--force replaces it)");
        assertEquals("mine", Files.readString(dir.resolve("keep.txt")));
        assertEquals(0, CliRun.of("quantize", "--model", model.toString(), "--quant", "w4a4", "--out", dir.toString(),
                "--force").exitCode());
        assertFalse(Files.exists(dir.resolve("keep.txt")));
    }

    @Test
    void outThatHoldsOrIsTheInputIsRefusedAndNothingIsDeleted() throws IOException {
        Path t = Files.createDirectories(dir.resolve("T"));
        Path bin = Files.copy(model, t.resolve("stories260K.bin"));
        Files.copy(model.resolveSibling("tok512.bin"), t.resolve("tok512.bin"));
        assertFails(CliRun.of("quantize", "--model", bin.toString(), "--quant", "w4a16", "--out", t.toString(),
                "--force"), Int4Cli.FAILURE, "--out " + t + " holds the input " + bin
                + ", which replacing it would delete; choose another directory");
        assertFails(CliRun.of("quantize", "--model", bin.toString(), "--quant", "w4a16", "--out", bin.toString(),
                "--force"), Int4Cli.FAILURE, "--out " + bin + " exists and is not a directory; only a directory is replaced");
        assertTrue(Files.isRegularFile(bin));
        assertTrue(Files.isRegularFile(t.resolve("tok512.bin")));
    }

    @Test
    void outThatIsTheRootIsRefused() {
        assertFails(CliRun.of("quantize", "--model", model.toString(), "--quant", "w4a16", "--out", "/", "--force"),
                Int4Cli.FAILURE, "--out / is a file system root, which cannot be replaced");
    }

    @Test
    void savedModelRefusesAnotherRecipe() {
        Path out = dir.resolve("w4a16");
        assertEquals(0, CliRun.of("quantize", "--model", model.toString(), "--quant", "w4a16", "--out",
                out.toString()).exitCode());
        assertFails(CliRun.of("generate", "--model", out.toString(), "--prompt", "x", "--quant", "w4a4"),
                Int4Cli.FAILURE, "--quant w4a4: " + out + " is a saved w4a16 model; drop --quant or quantize its base model");
        assertFails(CliRun.of("quantize", "--model", out.toString(), "--quant", "w4a4", "--out",
                dir.resolve("again").toString()), Int4Cli.FAILURE,
                out + " is a saved w4a16 model already; quantize its base model");
    }

    @Test
    void corruptSavedModel() throws IOException {
        Path out = dir.resolve("w4a16");
        assertEquals(0, CliRun.of("quantize", "--model", model.toString(), "--quant", "w4a16", "--out",
                out.toString()).exitCode());
        Path tensors = out.resolve("model.safetensors");
        byte[] b = Files.readAllBytes(tensors);
        b[b.length - 1] ^= 1;
        Files.write(tensors, b);
        assertFails(CliRun.of("generate", "--model", out.toString(), "--prompt", "x"), Int4Cli.FAILURE,
                tensors + ": its SHA-256 differs from the header's tensorsSha256: the file is corrupt or was replaced");
    }
}
