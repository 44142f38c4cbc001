package io.djlint4.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.djlint4.cli.Int4Cli;
import io.djlint4.testing.SharedFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code int4-spark eval} on local[2] against {@code int4 eval} on one machine. */
class SparkEvalTest {

    private record Run(int exitCode, String out, String err) {
        JsonObject json() {
            assertEquals(0, exitCode, () -> "exit " + exitCode + "\n" + out + err);
            return JsonParser.parseString(out.strip()).getAsJsonObject();
        }
    }

    private static Run run(BiFunction<PrintStream, PrintStream, Integer> tool) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = tool.apply(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertRelative(double expected, double actual, double tolerance, String field) {
        double scale = Math.max(Math.abs(expected), Double.MIN_NORMAL);
        assertTrue(Math.abs(expected - actual) <= tolerance * scale,
                () -> field + ": expected " + expected + ", got " + actual);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fp32", "w4a16"})
    void distributedEvalEqualsEvalOnOneMachine(String recipe) {
        Path model = StoriesPrompts.model();
        Path text = SharedFiles.require("data/wikitext-2/wiki.test.raw");
        List<String> common = List.of("--model", model.toString(), "--text", text.toString(), "--quant", recipe,
                "--ctx", "128", "--max-windows", "12", "--json");
        List<String> cli = new ArrayList<>(List.of("eval"));
        cli.addAll(common);
        List<String> spark = new ArrayList<>(List.of("eval", "--master", "local[2]", "--partitions", "5"));
        spark.addAll(common);

        JsonObject one = run((out, err) -> Int4Cli.run(cli.toArray(String[]::new), out, err)).json();
        JsonObject distributed = run((out, err) -> Int4Spark.run(spark.toArray(String[]::new), out, err)).json();

        assertEquals(one.keySet().stream().toList(), distributed.keySet().stream().toList());
        assertRelative(one.get("mean_nll").getAsDouble(), distributed.get("mean_nll").getAsDouble(), 1e-9, "mean_nll");
        assertRelative(one.get("perplexity").getAsDouble(), distributed.get("perplexity").getAsDouble(), 1e-9, "perplexity");
        assertEquals(one.get("kl_vs_fp32").getAsDouble(), distributed.get("kl_vs_fp32").getAsDouble(),
                1e-9 * Math.max(one.get("kl_vs_fp32").getAsDouble(), 1e-12), "kl_vs_fp32");
        assertEquals(one.get("top1_agreement").getAsDouble(), distributed.get("top1_agreement").getAsDouble(), 1e-12);
        for (String field : List.of("recipe", "execution", "lm_head", "tokens", "windows", "ctx")) {
            assertEquals(one.get(field), distributed.get(field), field);
        }
        assertEquals(12, distributed.get("windows").getAsInt());
        if (!recipe.equals("fp32")) {
            assertTrue(distributed.get("kl_vs_fp32").getAsDouble() > 0, distributed::toString);
        }
    }
}
