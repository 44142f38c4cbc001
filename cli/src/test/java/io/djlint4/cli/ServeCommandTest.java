package io.djlint4.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.testing.SharedFiles;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** {@code int4 serve}'s options fail before it listens, each naming the option at fault. */
class ServeCommandTest {

    private static final String STORIES = "models/stories260K/stories260K.bin";

    @Test
    void helpListsTheServerOptions() {
        CliRun run = CliRun.of("serve", "--help");
        assertEquals(Int4Cli.OK, run.exitCode(), run::toString);
        for (String option : new String[] {"--model", "--quant", "--host", "--port", "--max-batch", "--max-queue",
            "--ctx", "--timeout"}) {
            assertTrue(run.out().contains(option), option + " in " + run.out());
        }
    }

    @Test
    void aContextBeyondTheModelsIsAUsageError() {
        String model = SharedFiles.require(STORIES).toString();
        CliRun run = CliRun.of("serve", "--model", model, "--port", "0", "--ctx", "100000");
        assertEquals(Int4Cli.USAGE, run.exitCode(), run::toString);
        assertEquals("int4: error: --ctx must be at most 512, got 100000 (see 'int4 serve --help')\n", run.err());
    }

    @Test
    void badLimitsAreUsageErrors() {
        String model = SharedFiles.require(STORIES).toString();
        assertEquals("int4: error: --max-batch must be at least 1, got 0 (see 'int4 serve --help')\n",
                CliRun.of("serve", "--model", model, "--max-batch", "0").err());
        assertEquals("int4: error: --port must be at most 65535, got 70000 (see 'int4 serve --help')\n",
                CliRun.of("serve", "--model", model, "--port", "70000").err());
    }

    @Test
    void aPortInUseFailsWithOneLine() throws Exception {
        String model = SharedFiles.require(STORIES).toString();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliRun run = CliRun.of("serve", "--model", model, "--port", Integer.toString(taken.getLocalPort()));
            assertEquals(Int4Cli.FAILURE, run.exitCode(), run::toString);
            assertTrue(run.err().startsWith("int4: error: ") && run.err().contains("in use"), run::toString);
        }
    }
}
