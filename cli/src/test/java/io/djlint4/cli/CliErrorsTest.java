package io.djlint4.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.testing.SharedFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every failure prints one line on stderr and exits 2 (usage) or 1 (other failures). */
class CliErrorsTest {

    @TempDir
    Path dir;

    private static void assertFails(CliRun run, int code, String message) {
        assertEquals(code, run.exitCode(), run::toString);
        assertEquals("int4: error: " + message + "\n", run.err(), run::toString);
        assertEquals("", run.out(), run::toString);
    }

    @Test
    void missingModelFile() {
        Path missing = dir.resolve("nope.bin");
        assertFails(CliRun.of("info", "--model", missing.toString()), Int4Cli.FAILURE,
                missing + ": no such file or directory; accepted: a directory with config.json and model.safetensors"
                        + " (or model.safetensors.index.json), a GGUF file, or a llama2.c .bin file");
    }

    @Test
    void badRecipeIsAUsageError() {
        CliRun run = CliRun.of("generate", "--model", "m.bin", "--prompt", "x", "--quant", "w5a5");
        assertEquals(Int4Cli.USAGE, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("int4: error: --quant: recipe 'w5a5': unknown token 'w5a5'; valid tokens:"),
                run::toString);
        assertTrue(run.err().endsWith(" (see 'int4 generate --help')\n"), run::toString);
    }

    @Test
    void nonPositiveCalibrationSizeIsAUsageError() {
        Path model = SharedFiles.require("models/stories260K/stories260K.bin");
        Path calib = SharedFiles.require("data/wikitext-2/wiki.valid.tokens");
        assertFails(CliRun.of("generate", "--model", model.toString(), "--prompt", "x", "--quant", "w4a16+gptq",
                        "--calib", calib.toString(), "--calib-samples", "0"), Int4Cli.USAGE,
                "--calib-samples must be at least 1, got 0 (see 'int4 generate --help')");
    }

    @Test
    void unreadableTextFile() {
        Path model = SharedFiles.require("models/stories260K/stories260K.bin");
        Path missing = dir.resolve("missing.txt");
        assertFails(CliRun.of("eval", "--model", model.toString(), "--text", missing.toString()), Int4Cli.FAILURE,
                "cannot read text file " + missing + ": no such file");
        assertFails(CliRun.of("stats", "--model", model.toString(), "--text", dir.toString()), Int4Cli.FAILURE,
                "cannot read text file " + dir + ": it is a directory");
    }

    @Test
    void binaryTextIsRefused() {
        Path model = SharedFiles.require("models/stories260K/stories260K.bin");
        assertFails(CliRun.of("eval", "--model", model.toString(), "--text", model.toString()), Int4Cli.FAILURE,
                "cannot read text file " + model + ": it is not UTF-8 text (invalid byte at offset 4)");
    }

    @Test
    void aTokenizerGivenAsTheModelIsNamedAsSuch() {
        Path tokenizer = SharedFiles.require("models/stories260K/tok512.bin");
        CliRun run = CliRun.of("info", "--model", tokenizer.toString());
        assertEquals(Int4Cli.FAILURE, run.exitCode(), run::toString);
        assertTrue(run.err().contains("llama2.c tokenizer file, not a checkpoint"), run::toString);
    }

    @Test
    void aDirectoryWithoutACheckpointIsNamedOnce() {
        assertFails(CliRun.of("info", "--model", dir.toString()), Int4Cli.FAILURE,
                dir + ": no checkpoint found: expected config.json with safetensors, a .gguf file or a llama2.c"
                        + " .bin file");
    }

    @Test
    void versionAndHelpDefaults() {
        CliRun version = CliRun.of("--version");
        assertEquals(Int4Cli.OK, version.exitCode(), version::toString);
        assertTrue(version.out().startsWith("int4 0."), version::toString);
        CliRun help = CliRun.of("generate", "--help");
        assertTrue(help.out().contains("most tokens to generate (default 128;"), help::toString);
        assertTrue(CliRun.of("chat", "--help").out().contains("(default 256;"));
    }

    @Test
    void unknownOption() {
        assertFails(CliRun.of("generate", "--model", "m.bin", "--bogus", "1"), Int4Cli.USAGE,
                "generate: unknown option --bogus (see 'int4 generate --help')");
    }

    @Test
    void missingRequiredOption() {
        assertFails(CliRun.of("generate", "--model", "m.bin"), Int4Cli.USAGE,
                "generate: missing required option --prompt (see 'int4 generate --help')");
        assertFails(CliRun.of("eval", "--model", "m.bin"), Int4Cli.USAGE,
                "eval: missing required option --text (see 'int4 eval --help')");
        assertFails(CliRun.of("info"), Int4Cli.USAGE,
                "info: missing required option --model (see 'int4 info --help')");
    }

    @Test
    void optionWithoutItsValue() {
        assertFails(CliRun.of("generate", "--prompt"), Int4Cli.USAGE,
                "generate: option --prompt needs a value (TEXT) (see 'int4 generate --help')");
    }

    @Test
    void badNumbers() {
        assertFails(CliRun.of("generate", "--model", "m.bin", "--prompt", "x", "--max-tokens", "many"), Int4Cli.USAGE,
                "--max-tokens expects an integer, got 'many' (see 'int4 generate --help')");
        assertFails(CliRun.of("generate", "--model", "m.bin", "--prompt", "x", "--top-p", "1.5"), Int4Cli.USAGE,
                "top-p must be in (0, 1], got 1.5 (see 'int4 generate --help')");
        assertFails(CliRun.of("bench", "--shape", "c.json", "--threads", "0"), Int4Cli.USAGE,
                "--threads must be at least 1, got 0 (see 'int4 bench --help')");
    }

    @Test
    void tooManyThreadsIsAUsageError() {
        Path model = SharedFiles.require("models/stories260K/stories260K.bin");
        int max = io.djlint4.kernels.KernelThreads.maxThreads();
        for (String threads : new String[] {"2147483647", "100000", Integer.toString(max + 1)}) {
            assertFails(CliRun.of("generate", "--model", model.toString(), "--prompt", "x", "--threads", threads),
                    Int4Cli.USAGE, "--threads must be at most " + max + ", got " + threads
                            + " (see 'int4 generate --help')");
        }
        assertFails(CliRun.of("kernels", "--shape", "64x96", "--threads", "100000"), Int4Cli.USAGE,
                "--threads must be at most " + max + ", got 100000 (see 'int4 kernels --help')");
    }

    @Test
    void controlCharactersInMessagesAreEscaped() {
        assertFails(CliRun.of("generate", "--model", "m.bin", "--prompt", "x", "--max-tokens", "1\u0007\u0000\f2\n3"),
                Int4Cli.USAGE, "--max-tokens expects an integer, got '1\\x07\\x00\\x0c2\\n3' (see 'int4 generate --help')");
    }

    @Test
    void positionalArgumentsAndRepeatedOptions() {
        assertFails(CliRun.of("info", "model.bin"), Int4Cli.USAGE,
                "info: unexpected argument 'model.bin' (see 'int4 info --help')");
        assertFails(CliRun.of("info", "--model", "a", "--model=b"), Int4Cli.USAGE,
                "info: option --model given twice (see 'int4 info --help')");
    }

    @Test
    void unknownCommandAndNoCommand() {
        assertFails(CliRun.of("convert"), Int4Cli.USAGE,
                "unknown command 'convert'; commands: generate, chat, eval, stats, bench, kernels, info, quantize, serve"
                        + " (see 'int4 --help')");
        CliRun none = CliRun.of();
        assertEquals(Int4Cli.USAGE, none.exitCode());
        assertTrue(none.err().startsWith("usage: int4 COMMAND [OPTIONS]"), none::toString);
    }

    @Test
    void benchNeedsExactlyOneOfModelAndShape() {
        assertFails(CliRun.of("bench"), Int4Cli.USAGE,
                "bench: give exactly one of --model and --shape (see 'int4 bench --help')");
        assertFails(CliRun.of("bench", "--model", "m.bin", "--shape", "c.json"), Int4Cli.USAGE,
                "bench: give exactly one of --model and --shape (see 'int4 bench --help')");
    }

    @Test
    void verbosePrintsTheStackTrace() {
        CliRun run = CliRun.of("info", "--model", dir.resolve("nope.bin").toString(), "--verbose");
        assertEquals(Int4Cli.FAILURE, run.exitCode());
        assertTrue(run.err().startsWith("int4: error: "), run::toString);
        assertTrue(run.err().contains("io.djlint4.checkpoint.CheckpointFormatException"), run::toString);
        assertTrue(run.err().contains("\tat io.djlint4.checkpoint.CheckpointLoader.load"), run::toString);
    }

    @Test
    void helpGoesToStdoutAndSucceeds() {
        CliRun overview = CliRun.of("--help");
        assertEquals(Int4Cli.OK, overview.exitCode());
        assertTrue(overview.out().contains("  generate   generate text from a prompt\n"), overview::toString);
        CliRun generate = CliRun.of("generate", "--help");
        assertEquals(Int4Cli.OK, generate.exitCode());
        assertTrue(generate.out().contains("  --prompt TEXT"), generate::toString);
        assertEquals("", generate.err());
    }
}
