package io.djlint4.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code chat} and {@code generate --chat} on SmolLM2-135M-Instruct (GGUF with its tokenizer and
 * chat template), fetched by {@code scripts/fetch-smollm2.sh}; skipped when absent.
 */
class SmolLm2ChatTest {

    private static Path model;

    @BeforeAll
    static void locate() {
        String cache = System.getenv("INT4_MODEL_CACHE");
        Path root = cache != null && !cache.isBlank()
                ? Paths.get(cache)
                : Paths.get(System.getProperty("user.home"), ".cache", "djl-int4");
        model = root.resolve("smollm2").resolve("SmolLM2-135M-Instruct.Q4_1.gguf");
        Assumptions.assumeTrue(Files.isRegularFile(model), () -> model + " is absent (run scripts/fetch-smollm2.sh)");
    }

    @Test
    void chatAnswersEachTurnAndStopsAtExit() {
        CliRun run = CliRun.withInput("What is the capital of France?\n\n/exit\nnever read\n",
                "chat", "--model", model.toString(), "--temperature", "0", "--max-tokens", "16");

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("The capital of France is Paris.\n", run.out(), run::toString);
    }

    @Test
    void helpAndResetAreHandledLocallyAndACutOffReplyIsMarked() {
        CliRun run = CliRun.withInput("/help\nWhat is the capital of France?\n/reset\nWhat is the capital of France?\n",
                "chat", "--model", model.toString(), "--temperature", "0", "--max-tokens", "3");

        assertEquals(0, run.exitCode(), run::toString);
        String[] replies = run.out().split("\n");
        assertEquals(2, replies.length, run::toString);
        assertEquals(replies[0], replies[1], "after /reset the model sees the question afresh");
        assertTrue(run.err().contains("/reset starts a new conversation"), run::toString);
        assertTrue(run.err().contains("[conversation cleared]"), run::toString);
        assertTrue(run.err().contains("[reply cut off at --max-tokens 3]"), run::toString);
    }
}
