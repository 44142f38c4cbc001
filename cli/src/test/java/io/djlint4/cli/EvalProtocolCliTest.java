package io.djlint4.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.djlint4.testing.SharedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eval --protocol llama.cpp}, saved base distributions and the KL report on stories260K. */
class EvalProtocolCliTest {

    private static Path model;
    private static Path wikiText;

    @TempDir
    Path dir;

    @BeforeAll
    static void locate() {
        model = SharedFiles.require("models/stories260K/stories260K.bin");
        wikiText = SharedFiles.require("data/wikitext-2/wiki.test.raw");
    }

    private static JsonObject json(CliRun run) {
        assertEquals(0, run.exitCode(), run::toString);
        String[] lines = run.out().strip().split("\n");
        assertEquals(1, lines.length, () -> "exactly one JSON line expected:\n" + run);
        return JsonParser.parseString(lines[0]).getAsJsonObject();
    }

    private static CliRun eval(String... extra) {
        String[] base = {"eval", "--model", model.toString(), "--text", wikiText.toString(), "--ctx", "64",
                "--protocol", "llama.cpp", "--chunks", "3", "--threads", "1"};
        String[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return CliRun.of(all);
    }

    @Test
    void llamaCppProtocolScoresTheSecondHalfOfEachChunk() {
        JsonObject r = json(eval("--quant", "fp32", "--json"));
        assertEquals("llama.cpp", r.get("protocol").getAsString());
        assertEquals(3, r.get("windows").getAsInt());
        assertEquals(32, r.get("first_scored").getAsInt());
        assertEquals(3 * (64 - 1 - 32), r.get("tokens").getAsLong());
        assertEquals(32.0, r.get("bpw").getAsDouble());
        assertTrue(r.get("kl_p99").isJsonNull(), "no reference, no KL distribution: " + r);
        assertTrue(r.get("perplexity_base").isJsonNull(), r::toString);

        JsonObject windows = json(CliRun.of("eval", "--model", model.toString(), "--text", wikiText.toString(),
                "--ctx", "64", "--max-windows", "3", "--quant", "fp32", "--json"));
        assertEquals("windows", windows.get("protocol").getAsString());
        assertEquals(3 * 63, windows.get("tokens").getAsLong());
        assertTrue(windows.get("perplexity").getAsDouble() != r.get("perplexity").getAsDouble());
    }

    @Test
    void aSavedBaseGivesTheLiveComparisonAndIsReused() {
        Path base = dir.resolve("fp32.logp");
        JsonObject saved = json(eval("--quant", "fp32", "--save-logits", base.toString(), "--json"));
        assertTrue(Files.isRegularFile(base));
        assertEquals(base.toString(), saved.get("base_logits").getAsString());

        JsonObject live = json(eval("--quant", "w4a16", "--json"));
        JsonObject fromFile = json(eval("--quant", "w4a16", "--base-logits", base.toString(), "--json"));
        assertEquals(live.get("perplexity"), fromFile.get("perplexity"));
        // The saved rows keep each next token's exact log-probability (as a float).
        double fp32 = saved.get("perplexity").getAsDouble();
        assertEquals(fp32, fromFile.get("perplexity_base").getAsDouble(), 1e-6 * fp32);
        double kl = live.get("kl_vs_fp32").getAsDouble();
        assertTrue(kl > 0, live::toString);
        assertEquals(kl, fromFile.get("kl_vs_fp32").getAsDouble(), 0.02 * kl);
        assertEquals(fromFile.get("perplexity").getAsDouble() / fromFile.get("perplexity_base").getAsDouble(),
                fromFile.get("ppl_ratio").getAsDouble(), 1e-9);
        double median = fromFile.get("kl_median").getAsDouble();
        double p99 = fromFile.get("kl_p99").getAsDouble();
        assertTrue(median > 0 && median <= p99 && p99 <= fromFile.get("kl_max").getAsDouble(), fromFile::toString);

        // Several recipes against the same file: each line is what a single run gives.
        CliRun several = eval("--quant", "w4a16,w4a4", "--base-logits", base.toString(), "--json");
        assertEquals(0, several.exitCode(), several::toString);
        JsonObject first = JsonParser.parseString(several.out().strip().split("\n")[0]).getAsJsonObject();
        assertEquals(fromFile.get("kl_vs_fp32"), first.get("kl_vs_fp32"));
        assertEquals(fromFile.get("kl_p99"), first.get("kl_p99"));
    }

    @Test
    void aBaseOfAnotherRunIsRefusedNamingTheFile() {
        Path base = dir.resolve("fp32.logp");
        json(eval("--save-logits", base.toString(), "--json"));
        CliRun fewer = CliRun.of("eval", "--model", model.toString(), "--text", wikiText.toString(), "--ctx", "64",
                "--protocol", "llama.cpp", "--chunks", "2", "--quant", "w4a16", "--base-logits", base.toString());
        assertEquals(Int4Cli.FAILURE, fewer.exitCode(), fewer::toString);
        assertTrue(fewer.err().contains(base + " was saved for another run: its window count is 3, this run's is 2"),
                fewer::toString);

        CliRun otherProtocol = CliRun.of("eval", "--model", model.toString(), "--text", wikiText.toString(), "--ctx",
                "64", "--max-windows", "3", "--quant", "w4a16", "--base-logits", base.toString());
        assertEquals(Int4Cli.FAILURE, otherProtocol.exitCode(), otherProtocol::toString);
        assertTrue(otherProtocol.err().contains("its protocol is llama.cpp, this run's is windows"),
                otherProtocol::toString);
    }

    @Test
    void optionsThatExcludeEachOtherAreUsageErrors() {
        CliRun both = eval("--save-logits", dir.resolve("a").toString(), "--base-logits", dir.resolve("b").toString());
        assertEquals(Int4Cli.USAGE, both.exitCode(), both::toString);
        assertTrue(both.err().contains("--save-logits and --base-logits exclude each other"), both::toString);
        CliRun twice = eval("--max-windows", "2");
        assertEquals(Int4Cli.USAGE, twice.exitCode(), twice::toString);
        CliRun unknown = CliRun.of("eval", "--model", model.toString(), "--text", wikiText.toString(), "--protocol",
                "hf");
        assertEquals(Int4Cli.USAGE, unknown.exitCode(), unknown::toString);
        assertTrue(unknown.err().contains("--protocol: unknown protocol 'hf'; use windows or llama.cpp"),
                unknown::toString);
    }

    @Test
    void humanReportShowsTheKlDistributionAndTheBits() {
        CliRun run = eval("--quant", "w4a16");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("bits per weight "), run::toString);
        assertTrue(run.out().contains("KL percentiles  median "), run::toString);
        assertTrue(run.out().contains("base perplexity "), run::toString);
        assertTrue(run.out().contains("93 tokens in 3 windows of 64 (llama.cpp protocol, positions 32..62)"),
                run::toString);
    }
}
