package io.djlint4.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code int4-spark generate} end to end on local[2]: a prompts file in, JSON lines out. */
class Int4SparkCliTest {

    @TempDir
    Path dir;

    private static int run(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        return Int4Spark.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void generateWritesOneJsonLinePerPromptInFileOrder() throws IOException {
        Path model = StoriesPrompts.model();
        List<String> prompts = StoriesPrompts.all().subList(0, 40);
        Path input = dir.resolve("prompts.txt");
        try (var w = Files.newOutputStream(input)) {
            for (int i = 0; i < prompts.size(); i++) {
                w.write(prompts.get(i).getBytes(StandardCharsets.UTF_8));
                w.write(i == 7 ? new byte[] {' ', (byte) 0xFF, '\n'} : new byte[] {'\n'});
            }
        }
        Path output = dir.resolve("out");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = run(out, err, "generate", "--master", "local[2]", "--model", model.toString(), "--input",
                input.toString(), "--output", output.toString(), "--max-tokens", "10", "--temperature", "0",
                "--partitions", "3");

        assertEquals(0, code, () -> err.toString(StandardCharsets.UTF_8));
        assertTrue(Files.exists(output.resolve("_SUCCESS")));
        List<JsonObject> rows = new ArrayList<>();
        try (Stream<Path> parts = Files.list(output)) {
            for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
                for (String line : Files.readAllLines(part, StandardCharsets.UTF_8)) {
                    rows.add(JsonParser.parseString(line).getAsJsonObject());
                }
            }
        }
        assertEquals(prompts.size(), rows.size());
        for (int i = 0; i < prompts.size(); i++) {
            JsonObject row = rows.get(i);
            assertEquals(i + 1, row.get("line").getAsInt());
            if (i == 7) {
                assertTrue(row.get("error").getAsString().contains("not UTF-8 text"), row::toString);
                assertTrue(row.get("text").isJsonNull(), row::toString);
                continue;
            }
            JsonObject single = StoriesPrompts.singleMachine(prompts.get(i), 10);
            assertEquals(prompts.get(i), row.get("prompt").getAsString());
            assertEquals(single.get("text"), row.get("text"), row::toString);
            assertEquals(single.getAsJsonArray("tokens").size(), row.get("tokens").getAsInt());
            assertEquals(single.get("stop_reason"), row.get("stop_reason"));
            assertTrue(row.get("error").isJsonNull(), row::toString);
        }

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        assertEquals(1, run(new ByteArrayOutputStream(), again, "generate", "--master", "local[2]", "--model",
                model.toString(), "--input", input.toString(), "--output", output.toString()));
        assertTrue(again.toString(StandardCharsets.UTF_8).contains("exists; give a new directory"), again::toString);
    }

    @Test
    void usageErrorsExitWithTwo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, run(new ByteArrayOutputStream(), err, "generate", "--model", "m", "--frobnicate", "1"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown option --frobnicate"), err::toString);
        assertEquals(2, run(new ByteArrayOutputStream(), new ByteArrayOutputStream(), "train"));
    }
}
