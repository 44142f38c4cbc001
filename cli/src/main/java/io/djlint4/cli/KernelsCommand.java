package io.djlint4.cli;

import io.djlint4.kernels.KernelThreads;
import io.djlint4.kernels.bench.KernelSuite;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code int4 kernels}: times each matrix kernel at one shape for a few seconds after a warm-up,
 * the quick everyday form of the JMH benchmarks; every figure is shown beside the FP32 product
 * measured in the same run.
 */
final class KernelsCommand implements Command {

    private static final OptionSpec SHAPE = OptionSpec.value("shape", "OUTxIN", "weight shape, e.g. 4096x4096");
    private static final OptionSpec TOKENS = OptionSpec.value("n", "N", "activation rows (tokens), default 1");
    private static final OptionSpec SECONDS = OptionSpec.value("seconds", "S", "measuring time per kernel (default 2)");
    private static final OptionSpec KERNELS = OptionSpec.value(
            "kernels", "LIST", "comma-separated subset of " + String.join(",", KernelSuite.KERNELS));

    @Override
    public String name() {
        return "kernels";
    }

    @Override
    public String summary() {
        return "GFLOPS and weight bandwidth of each kernel at one shape";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(SHAPE, TOKENS, SECONDS, KERNELS, CommonOptions.THREADS, CommonOptions.JSON, CommonOptions.VERBOSE);
    }

    @Override
    public void run(ParsedOptions o, CliContext context) {
        String shape = o.require(SHAPE.name());
        int[] dims = parseShape(shape);
        int tokens = o.integer(TOKENS.name(), 1, 1);
        double seconds = o.decimal(SECONDS.name(), 2);
        if (!(seconds > 0)) {
            throw new UsageException("--seconds must be positive, got " + seconds);
        }
        int threads = o.integer(CommonOptions.THREADS.name(), Runtime.getRuntime().availableProcessors(), 1,
                KernelThreads.maxThreads());
        List<String> kernels = kernels(o.string(KERNELS.name(), null));
        boolean json = o.flag(CommonOptions.JSON.name());
        TerminalProgress progress = context.progress(json);
        Map<String, KernelSuite.Result> results = new LinkedHashMap<>();
        try {
            for (String k : kernels) {
                progress.stage("timing " + k);
                results.put(k, KernelSuite.run(k, dims[0], dims[1], tokens, threads, seconds));
            }
        } finally {
            progress.clear();
        }
        if (json) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("shape", shape);
            fields.put("n", tokens);
            fields.put("threads", KernelThreads.threads());
            Map<String, Object> byKernel = new LinkedHashMap<>();
            for (KernelSuite.Result r : results.values()) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("ms", r.millis());
                f.put("gflops", r.gflops());
                f.put("weight_gbps", r.weightGbps());
                byKernel.put(r.kernel(), f);
            }
            fields.put("kernels", byKernel);
            JsonOutput.print(context.out(), fields);
            return;
        }
        KernelSuite.Result fp32 = results.get("fp32");
        context.out().printf(Locale.ROOT, "shape %s, n=%d, %d threads%n", shape, tokens, KernelThreads.threads());
        context.out().printf(Locale.ROOT, "%-11s %10s %9s %11s %9s%n", "kernel", "ms", "GFLOPS", "weight GB/s", "vs fp32");
        for (KernelSuite.Result r : results.values()) {
            String ratio = fp32 == null ? "-" : String.format(Locale.ROOT, "%.2fx", fp32.millis() / r.millis());
            context.out().printf(Locale.ROOT, "%-11s %10.3f %9.2f %11.2f %9s%n",
                    r.kernel(), r.millis(), r.gflops(), r.weightGbps(), ratio);
        }
    }

    private static int[] parseShape(String shape) {
        if (!shape.matches("[1-9][0-9]{0,8}[xX][1-9][0-9]{0,8}")) {
            throw new UsageException(
                    "--shape: expected OUTxIN with positive numbers, e.g. 4096x4096, got '" + shape + "'");
        }
        String[] parts = shape.toLowerCase(Locale.ROOT).split("x");
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    }

    private static List<String> kernels(String list) {
        if (list == null) {
            return KernelSuite.KERNELS;
        }
        List<String> out = new ArrayList<>();
        for (String k : list.split(",")) {
            String name = k.trim();
            if (!KernelSuite.KERNELS.contains(name)) {
                throw new UsageException(
                        "--kernels: unknown kernel '" + name + "'; known: " + String.join(", ", KernelSuite.KERNELS));
            }
            out.add(name);
        }
        return out;
    }
}
