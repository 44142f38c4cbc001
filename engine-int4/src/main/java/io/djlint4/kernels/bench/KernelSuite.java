package io.djlint4.kernels.bench;

import io.djlint4.kernels.Bf16Matmul;
import io.djlint4.kernels.Bf16Matrix;
import io.djlint4.kernels.Fp32Matmul;
import io.djlint4.kernels.Fp4Format;
import io.djlint4.kernels.Fp4Matmul;
import io.djlint4.kernels.Fp4Tokens;
import io.djlint4.kernels.HadamardTransform;
import io.djlint4.kernels.Int4IntegerGemm;
import io.djlint4.kernels.Int4Matmul;
import io.djlint4.kernels.KernelThreads;
import io.djlint4.kernels.PackedFp4Matrix;
import io.djlint4.kernels.PackedInt4Matrix;
import io.djlint4.kernels.QuantizedTokens;
import io.djlint4.kernels.RuntimeSmoothGemm;
import io.djlint4.kernels.RuntimeSmoothing;
import io.djlint4.kernels.TokenGroupRounding;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Runs each kernel at a shape for a while after warm-up and reports throughput: GFLOPS and the
 * effective weight bandwidth (packed weight bytes read per second). Kernels, by name:
 *
 * <ul>
 *   <li>{@code fp32}: {@link Fp32Matmul}, the baseline;
 *   <li>{@code bf16}: {@link Bf16Matmul}, bfloat16 weights and float activations (the 16-bit
 *       classifier);
 *   <li>{@code w4_fp32act}: {@link Int4Matmul}, symmetric INT4 per output channel, float activations;
 *   <li>{@code w4a8}, {@code w4a4}: {@link Int4IntegerGemm} on pre-quantized activations;
 *   <li>{@code w4a8_g32}: the same with one scale per 32 weights, the layout of llama.cpp's q4_0
 *       (whose GEMV multiplies by activations quantized to 8 bits);
 *   <li>{@code w4a4_rs}: {@link RuntimeSmoothing#compute} plus {@link RuntimeSmoothGemm} (the per-call
 *       smoothing is part of the method, so it is timed);
 *   <li>{@code w4a4_rs_float}: {@link RuntimeSmoothing#compute} plus {@link Int4Matmul} on the
 *       dequantized smoothed codes, the path the RS/RRS recipes run;
 *   <li>{@code w4a4_ag32}: {@link TokenGroupRounding} of the activations (a 4-bit grid with a zero
 *       point per 32 channels, part of the method, so it is timed) plus {@link Int4Matmul} on their
 *       values, with one weight scale per 32 weights: the path of the {@code ag32} recipes;
 *   <li>{@code fp4}: {@link Fp4Matmul}, E2M1 weights × E2M1 activations;
 *   <li>{@code hadamard}: {@link HadamardTransform#applyRows} on the {@code [n, in]} activations.
 * </ul>
 */
public final class KernelSuite {

    /** The kernel names, baseline first. */
    public static final List<String> KERNELS =
            List.of(
                    "fp32", "bf16", "w4_fp32act", "w4a8", "w4a4", "w4a8_g32", "w4a4_rs", "w4a4_rs_float", "w4a4_ag32",
                    "fp4", "hadamard");

    /** One measurement. */
    public static final class Result {
        private final String kernel;
        private final double millis;
        private final double gflops;
        private final double weightGbps;

        Result(String kernel, double millis, double gflops, double weightGbps) {
            this.kernel = kernel;
            this.millis = millis;
            this.gflops = gflops;
            this.weightGbps = weightGbps;
        }

        /**
         * Returns the kernel name.
         *
         * @return the name
         */
        public String kernel() {
            return kernel;
        }

        /**
         * Returns the mean time of one run.
         *
         * @return milliseconds
         */
        public double millis() {
            return millis;
        }

        /**
         * Returns the throughput.
         *
         * @return GFLOPS
         */
        public double gflops() {
            return gflops;
        }

        /**
         * Returns the effective weight bandwidth.
         *
         * @return GB/s of packed weight bytes
         */
        public double weightGbps() {
            return weightGbps;
        }
    }

    private KernelSuite() {}

    /**
     * Prepares one kernel at a shape.
     *
     * @param kernel a name from {@link #KERNELS}
     * @param out output channels
     * @param in input channels
     * @param tokens activation rows
     * @return the case
     */
    public static KernelCase prepare(String kernel, int out, int in, int tokens) {
        Random rnd = new Random(42);
        float[] x = gaussian(rnd, tokens * in);
        double flops = 2.0 * out * in * tokens;
        switch (kernel) {
            case "fp32":
                {
                    float[] w = gaussian(rnd, out * in);
                    float[] y = new float[tokens * out];
                    return of(() -> Fp32Matmul.matmul(x, tokens, w, null, out, in, y), flops, 4L * out * in);
                }
            case "bf16":
                {
                    Bf16Matrix w = Bf16Matrix.round(gaussian(rnd, out * in), out, in);
                    float[] y = new float[tokens * out];
                    return of(() -> Bf16Matmul.matmul(x, tokens, w, null, y), flops, w.packedBytes());
                }
            case "w4_fp32act":
                {
                    PackedInt4Matrix w = PackedInt4Matrix.quantize(gaussian(rnd, out * in), out, in, 0, true);
                    float[] y = new float[tokens * out];
                    return of(() -> Int4Matmul.matmul(x, tokens, w, null, y), flops, w.packedBytes());
                }
            case "w4a8":
            case "w4a4":
            case "w4a8_g32":
                {
                    int group = kernel.equals("w4a8_g32") ? 32 : 0;
                    PackedInt4Matrix w = PackedInt4Matrix.quantize(gaussian(rnd, out * in), out, in, group, true);
                    QuantizedTokens q = new QuantizedTokens(tokens, in, kernel.equals("w4a4") ? 4 : 8);
                    q.quantize(x, tokens, 1f);
                    float[] y = new float[tokens * out];
                    return of(() -> Int4IntegerGemm.matmul(q, w, null, y), flops, w.packedBytes());
                }
            case "w4a4_rs":
            case "w4a4_rs_float":
                {
                    PackedInt4Matrix w = PackedInt4Matrix.quantize(gaussian(rnd, out * in), out, in, 0, true);
                    RuntimeSmoothing s = new RuntimeSmoothing(tokens, in);
                    float[] y = new float[tokens * out];
                    boolean gathered = kernel.equals("w4a4_rs");
                    return of(
                            () -> {
                                s.compute(x, tokens, 1f);
                                if (gathered) {
                                    RuntimeSmoothGemm.matmul(s, w, null, y);
                                } else {
                                    Int4Matmul.matmul(s.dequantize(), tokens, w, null, y);
                                }
                            },
                            flops,
                            w.packedBytes());
                }
            case "w4a4_ag32":
                {
                    PackedInt4Matrix w = PackedInt4Matrix.quantize(gaussian(rnd, out * in), out, in, 32, true);
                    TokenGroupRounding rounding = new TokenGroupRounding(32, 4, false);
                    float[] rounded = new float[tokens * in];
                    float[] y = new float[tokens * out];
                    return of(
                            () -> {
                                rounding.round(x, tokens, in, 1f, rounded);
                                Int4Matmul.matmul(rounded, tokens, w, null, y);
                            },
                            flops,
                            w.packedBytes());
                }
            case "fp4":
                {
                    PackedFp4Matrix w = PackedFp4Matrix.quantize(gaussian(rnd, out * in), out, in, Fp4Format.E2M1);
                    Fp4Tokens a = new Fp4Tokens(tokens, in, Fp4Format.E2M1);
                    a.quantize(x, tokens, 0.5f, null);
                    float[] y = new float[tokens * out];
                    return of(() -> Fp4Matmul.matmul(a, w, null, y), flops, w.packedBytes());
                }
            case "hadamard":
                {
                    HadamardTransform h = HadamardTransform.forSize(in);
                    int m = in / h.order();
                    double ops = tokens * ((double) in * Integer.numberOfTrailingZeros(m) + 2.0 * h.order() * in);
                    return of(() -> h.applyRows(x, tokens), ops, 0);
                }
            default:
                throw new IllegalArgumentException("unknown kernel " + kernel + "; expected one of " + KERNELS);
        }
    }

    private static KernelCase of(Runnable body, double operations, long bytes) {
        return new KernelCase() {
            @Override
            public void run() {
                body.run();
            }

            @Override
            public double operations() {
                return operations;
            }

            @Override
            public long weightBytes() {
                return bytes;
            }
        };
    }

    /**
     * Times one kernel: runs it for {@code seconds / 2} to warm up, then for {@code seconds}.
     *
     * @param kernel a name from {@link #KERNELS}
     * @param out output channels
     * @param in input channels
     * @param tokens activation rows
     * @param threads kernel threads
     * @param seconds measuring time
     * @return the measurement
     */
    public static Result run(String kernel, int out, int in, int tokens, int threads, double seconds) {
        KernelThreads.setThreads(threads);
        KernelCase c = prepare(kernel, out, in, tokens);
        loop(c, seconds / 2);
        long start = System.nanoTime();
        long calls = loop(c, seconds);
        double perCall = (System.nanoTime() - start) / 1e9 / calls;
        return new Result(kernel, perCall * 1e3, c.operations() / perCall / 1e9, c.weightBytes() / perCall / 1e9);
    }

    private static long loop(KernelCase c, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long calls = 0;
        do {
            c.run();
            calls++;
        } while (System.nanoTime() < end);
        return calls;
    }

    /**
     * Times every kernel at one shape, {@code fp32} first.
     *
     * @param out output channels
     * @param in input channels
     * @param tokens activation rows
     * @param threads kernel threads
     * @param seconds measuring time per kernel
     * @return results by kernel name, in {@link #KERNELS} order
     */
    public static Map<String, Result> runAll(int out, int in, int tokens, int threads, double seconds) {
        Map<String, Result> results = new LinkedHashMap<>();
        for (String k : KERNELS) {
            results.put(k, run(k, out, in, tokens, threads, seconds));
        }
        return results;
    }

    /**
     * Formats results as a JSON object {@code {"kernel": {"ms":…, "gflops":…, "weight_gbps":…}, …}}.
     *
     * @param results the results
     * @return the JSON text
     */
    public static String toJson(Map<String, Result> results) {
        StringBuilder sb = new StringBuilder("{");
        for (Result r : results.values()) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "\"%s\": {\"ms\": %.4f, \"gflops\": %.3f, \"weight_gbps\": %.3f}",
                            r.kernel(),
                            r.millis(),
                            r.gflops(),
                            r.weightGbps()));
        }
        return sb.append('}').toString();
    }

    private static float[] gaussian(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }
}
