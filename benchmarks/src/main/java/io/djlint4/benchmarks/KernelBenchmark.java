package io.djlint4.benchmarks;

import io.djlint4.kernels.KernelThreads;
import io.djlint4.kernels.bench.KernelCase;
import io.djlint4.kernels.bench.KernelSuite;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One kernel product per invocation, at a shape {@code out x in}, {@code tokens} activation rows and
 * {@code threads} kernel threads. The kernels come from {@link KernelSuite}, so JMH and the CLI time
 * the same code.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx6g"})
public class KernelBenchmark {

    /** Kernel name, see {@link KernelSuite#KERNELS}. */
    @Param({"fp32", "bf16", "w4_fp32act", "w4a8", "w4a4", "w4a8_g32", "w4a4_rs", "w4a4_rs_float", "w4a4_ag32", "fp4",
        "hadamard"})
    public String kernel;

    /** Output × input channels. */
    @Param({"4096x4096", "11008x4096", "4096x11008", "14336x4096", "896x896", "4864x896", "896x4864"})
    public String shape;

    /** Activation rows. */
    @Param({"1", "16", "128", "512"})
    public int tokens;

    /** Kernel threads. */
    @Param({"1", "2"})
    public int threads;

    private KernelCase kernelCase;

    /** Packs the weights and prepares the activations. */
    @Setup(Level.Trial)
    public void setUp() {
        KernelThreads.setThreads(threads);
        String[] dims = shape.split("x");
        kernelCase = KernelSuite.prepare(kernel, Integer.parseInt(dims[0]), Integer.parseInt(dims[1]), tokens);
    }

    /** Runs the product once. */
    @Benchmark
    public void product() {
        kernelCase.run();
    }
}
