package io.djlint4.spark;

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

/** Prompts for stories260K and what {@code int4 generate} makes of them on one machine. */
final class StoriesPrompts {

    private static final String[] OPENINGS = {
        "Once upon a time", "One day", "The little dog", "Lily wanted to", "Tom and his mom", "The sun was",
        "A big red ball", "The cat saw", "Sara had a", "In the park", "The bird flew", "Ben liked to",
        "There was a tree", "Mom said", "The boy ran", "A little girl named"};
    private static final String[] ENDINGS = {
        "", " and", " to the", " with a", " very happy", " in the house", " because", " but then",
        " so she", " when he", " of the big", " said", " every day", " near the", " after that", " one more"};

    private StoriesPrompts() {}

    static Path model() {
        return SharedFiles.require("models/stories260K/stories260K.bin");
    }

    /** 256 distinct prompts. */
    static List<String> all() {
        List<String> prompts = new ArrayList<>();
        for (String opening : OPENINGS) {
            for (String ending : ENDINGS) {
                prompts.add(opening + ending);
            }
        }
        return prompts;
    }

    /** The {@code int4 generate --json} output of one prompt on this machine, greedy. */
    static JsonObject singleMachine(String prompt, int maxTokens, String... more) {
        List<String> args = new ArrayList<>(List.of("generate", "--model", model().toString(), "--prompt", prompt,
                "--temperature", "0", "--max-tokens", String.valueOf(maxTokens), "--json"));
        args.addAll(List.of(more));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Int4Cli.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        if (code != 0) {
            throw new AssertionError("int4 generate failed: " + err.toString(StandardCharsets.UTF_8));
        }
        return JsonParser.parseString(out.toString(StandardCharsets.UTF_8).strip()).getAsJsonObject();
    }
}
