package io.djlint4.benchmarks;

import io.djlint4.kernels.bench.KernelCase;
import io.djlint4.kernels.bench.KernelSuite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link KernelBenchmark} over a grid and writes one markdown table: per (shape, tokens,
 * threads, kernel) the mean time, GFLOPS, effective packed-weight bandwidth and the speed-up over
 * the {@code fp32} baseline measured in the same run.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar io.djlint4.benchmarks.MarkdownReport
 * [--shapes 4096x4096,896x896] [--tokens 1,128] [--threads 1,2] [--kernels fp32,w4a4,...]
 * [--seconds 1] [--out report.md]}. Defaults: every kernel, shapes 4096x4096 and 896x896, tokens
 * 1,16,128,512, threads 1,2, 1-second iterations (3 warm-up, 5 measured).
 */
public final class MarkdownReport {

    private MarkdownReport() {}

    /**
     * Runs the grid and prints or writes the table.
     *
     * @param args options, see the class comment
     * @throws RunnerException when JMH fails
     * @throws IOException when the output cannot be written
     */
    public static void main(String[] args) throws RunnerException, IOException {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String[] shapes = opts.getOrDefault("shapes", "4096x4096,896x896").split(",");
        String[] tokens = opts.getOrDefault("tokens", "1,16,128,512").split(",");
        String[] threads = opts.getOrDefault("threads", "1,2").split(",");
        String[] kernels = opts.getOrDefault("kernels", String.join(",", KernelSuite.KERNELS)).split(",");
        int seconds = Integer.parseInt(opts.getOrDefault("seconds", "1"));
        Options o =
                new OptionsBuilder()
                        .include(KernelBenchmark.class.getSimpleName())
                        .param("shape", shapes)
                        .param("tokens", tokens)
                        .param("threads", threads)
                        .param("kernel", kernels)
                        .warmupTime(TimeValue.seconds(seconds))
                        .measurementTime(TimeValue.seconds(seconds))
                        .build();
        List<RunResult> results = new ArrayList<>(new Runner(o).run());
        String table = table(results);
        String out = opts.get("out");
        if (out == null) {
            System.out.println(table);
        } else {
            Files.writeString(Path.of(out), table, StandardCharsets.UTF_8);
            System.out.println("wrote " + out);
        }
    }

    private static String table(List<RunResult> results) {
        Map<String, Double> baseline = new HashMap<>();
        for (RunResult r : results) {
            if (param(r, "kernel").equals("fp32")) {
                baseline.put(key(r), r.getPrimaryResult().getScore());
            }
        }
        results.sort(
                (a, b) -> {
                    int c = key(a).compareTo(key(b));
                    return c != 0
                            ? c
                            : Integer.compare(
                                    KernelSuite.KERNELS.indexOf(param(a, "kernel")),
                                    KernelSuite.KERNELS.indexOf(param(b, "kernel")));
                });
        StringBuilder sb = new StringBuilder();
        sb.append("| shape (out×in) | tokens | threads | kernel | ms | GFLOPS | weight GB/s | speed-up vs fp32 |\n");
        sb.append("|---|---:|---:|---|---:|---:|---:|---:|\n");
        Map<String, KernelCase> cases = new HashMap<>();
        for (RunResult r : results) {
            String kernel = param(r, "kernel");
            String[] dims = param(r, "shape").split("x");
            int n = Integer.parseInt(param(r, "tokens"));
            KernelCase c =
                    cases.computeIfAbsent(
                            kernel + r.getParams().getParam("shape") + n,
                            k -> KernelSuite.prepare(kernel, Integer.parseInt(dims[0]), Integer.parseInt(dims[1]), n));
            double ms = r.getPrimaryResult().getScore();
            Double base = baseline.get(key(r));
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %d | %s | %s | %.3f | %.1f | %s | %s |%n",
                            param(r, "shape"),
                            n,
                            param(r, "threads"),
                            kernel,
                            ms,
                            c.operations() / ms / 1e6,
                            c.weightBytes() == 0 ? "–" : String.format(Locale.ROOT, "%.2f", c.weightBytes() / ms / 1e6),
                            base == null ? "–" : String.format(Locale.ROOT, "%.2f×", base / ms)));
        }
        return sb.toString();
    }

    private static String key(RunResult r) {
        return String.join(
                "/",
                Arrays.asList(
                        param(r, "shape"),
                        String.format(Locale.ROOT, "%04d", Integer.parseInt(param(r, "tokens"))),
                        param(r, "threads")));
    }

    private static String param(RunResult r, String name) {
        return r.getParams().getParam(name);
    }
}
