package io.djlint4.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

/** {@code int4 kernels}: the JSON shape of the issue and its usage errors. */
class KernelsCliTest {

    @Test
    void timesTheChosenKernelsAndReportsJson() {
        CliRun run = CliRun.of("kernels", "--shape", "64x96", "--n", "3", "--threads", "1", "--seconds", "0.05",
                "--kernels", "fp32,w4a4,w4a4_rs_float,hadamard", "--json");

        assertEquals(Int4Cli.OK, run.exitCode(), run::toString);
        JsonObject r = JsonParser.parseString(run.out()).getAsJsonObject();
        assertEquals("64x96", r.get("shape").getAsString());
        assertEquals(3, r.get("n").getAsInt());
        assertEquals(1, r.get("threads").getAsInt());
        JsonObject kernels = r.getAsJsonObject("kernels");
        assertEquals(4, kernels.size(), kernels::toString);
        for (String k : new String[] {"fp32", "w4a4", "w4a4_rs_float", "hadamard"}) {
            JsonObject m = kernels.getAsJsonObject(k);
            assertTrue(m.get("gflops").getAsDouble() > 0, k + ": " + m);
            assertTrue(m.get("ms").getAsDouble() > 0, k + ": " + m);
        }
        assertTrue(kernels.getAsJsonObject("w4a4").get("weight_gbps").getAsDouble() > 0, kernels::toString);
    }

    @Test
    void malformedShapeIsAUsageError() {
        CliRun run = CliRun.of("kernels", "--shape", "64by96");

        assertEquals(Int4Cli.USAGE, run.exitCode(), run::toString);
        assertEquals("int4: error: --shape: expected OUTxIN with positive numbers, e.g. 4096x4096, got '64by96'"
                + " (see 'int4 kernels --help')\n",
                run.err());
    }

    @Test
    void unknownKernelIsAUsageError() {
        CliRun run = CliRun.of("kernels", "--shape", "8x8", "--kernels", "fp32,w2a2");

        assertEquals(Int4Cli.USAGE, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("int4: error: --kernels: unknown kernel 'w2a2'; known: fp32"), run.err());
    }
}
