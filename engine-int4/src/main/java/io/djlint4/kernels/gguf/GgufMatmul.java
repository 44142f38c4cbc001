package io.djlint4.kernels.gguf;

import io.djlint4.kernels.KernelThreads;
import io.djlint4.kernels.PanelGemm;

/**
 * {@code y = x · Wᵀ (+ b)} with {@code W} a {@link GgufMatrix}, its blocks read as they are.
 * Work is split over output channels. Up to {@link #FUSED_MAX_ROWS} rows (decode steps, short
 * prompts) run each weight row's fused block product ({@link BlockFormat#dotRows}, four input
 * rows per pass with {@link BlockFormat#dotRows4}), which reads every weight byte once; more rows
 * (prefill) expand a few weight rows at a time into floats and multiply them by every input row,
 * so expanding costs once per weight row instead of once per token. The 8-bit variant rounds the
 * input per block of 32 first, as ggml does, and sums codes in integers.
 */
public final class GgufMatmul {

    /** Rows of W per task in the fused path: enough bytes to amortize the hand-off. */
    private static final int DOT_GRAIN = 16;

    /**
     * Input rows above which {@link #matmul} expands weight panels; up to this many, it runs
     * {@link #matmulRowByRow}, whose fused kernels take four rows per weight pass. Measured on
     * SmolLM2 Q4_1 (2 threads, {@code bench --prompt-tokens N}): expanding prefilled 58, 56, 252,
     * 421 and 611 tokens/s at 4, 8, 16, 32 and 64 tokens, the fused kernels 308, 442, 505, 515
     * and 515.
     */
    public static final int FUSED_MAX_ROWS = 32;

    private static final ThreadLocal<float[][]> PANELS = ThreadLocal.withInitial(() -> new float[2][0]);

    private GgufMatmul() {}

    /**
     * Multiplies float inputs by the matrix.
     *
     * @param x the input, row-major {@code [rows, w.cols()]}
     * @param rows the number of input rows
     * @param w the weight
     * @param bias the bias {@code [w.rows()]}, or {@code null}
     * @param y receives {@code [rows, w.rows()]}
     */
    public static void matmul(float[] x, int rows, GgufMatrix w, float[] bias, float[] y) {
        if (rows <= FUSED_MAX_ROWS) {
            matmulRowByRow(x, rows, w, bias, y);
            return;
        }
        checkSizes(x.length, rows, w, bias, y);
        int out = w.rows();
        int in = w.cols();
        int width = PanelGemm.WIDTH;
        KernelThreads.parallelFor(ceilDiv(out, width), 1, (from, to) -> {
            float[][] panels = panels(width * in);
            for (int p = from; p < to; p++) {
                int first = p * width;
                int count = Math.min(width, out - first);
                w.format().expand(w.data(), first * w.rowBytes(), panels[0], 0, count * w.blocksPerRow());
                PanelGemm.transpose(panels[0], count, in, panels[1]);
                PanelGemm.multiply(x, rows, panels[1], first, count, bias, out, in, y);
            }
        });
    }

    /**
     * Multiplies float inputs by the matrix with the one-token kernel for every row, whatever the
     * number of rows: each row's result is what it gets alone (the panel path of {@link #matmul}
     * sums in another order), while each weight chunk is read once for all rows. The decode step of
     * several sequences runs here.
     *
     * @param x the input, row-major {@code [rows, w.cols()]}
     * @param rows the number of input rows
     * @param w the weight
     * @param bias the bias {@code [w.rows()]}, or {@code null}
     * @param y receives {@code [rows, w.rows()]}
     */
    public static void matmulRowByRow(float[] x, int rows, GgufMatrix w, float[] bias, float[] y) {
        checkSizes(x.length, rows, w, bias, y);
        int out = w.rows();
        int in = w.cols();
        BlockFormat f = w.format();
        byte[] data = w.data();
        int rowBytes = w.rowBytes();
        int blocks = w.blocksPerRow();
        float[] halves = w.halves();
        int halvesPerRow = halves == null || out == 0 ? 0 : halves.length / out;
        KernelThreads.parallelFor(out, DOT_GRAIN, (from, to) -> {
            int r = 0;
            for (; r + 4 <= rows; r += 4) {
                f.dotRows4(data, from * rowBytes, rowBytes, halves, from * halvesPerRow, x, r * in, in, blocks, y,
                        r * out + from, out, to - from);
            }
            for (; r < rows; r++) {
                f.dotRows(data, from * rowBytes, rowBytes, halves, from * halvesPerRow, x, r * in, blocks, y,
                        r * out + from, to - from);
            }
            if (bias != null) {
                for (r = 0; r < rows; r++) {
                    for (int o = from; o < to; o++) {
                        y[r * out + o] += bias[o];
                    }
                }
            }
        });
    }

    /**
     * Multiplies inputs rounded to 8 bits per block of 32 ({@link Q8Activations}) by the matrix.
     *
     * @param x the input, row-major {@code [rows, w.cols()]}
     * @param rows the number of input rows
     * @param w the weight
     * @param bias the bias {@code [w.rows()]}, or {@code null}
     * @param y receives {@code [rows, w.rows()]}
     */
    public static void matmulQ8(float[] x, int rows, GgufMatrix w, float[] bias, float[] y) {
        checkSizes(x.length, rows, w, bias, y);
        Q8Activations a = Q8Activations.quantize(x, rows, w.cols());
        int out = w.rows();
        int in = w.cols();
        BlockFormat f = w.format();
        byte[] data = w.data();
        int rowBytes = w.rowBytes();
        int blocks = w.blocksPerRow();
        KernelThreads.parallelFor(out, DOT_GRAIN, (from, to) -> {
            for (int o = from; o < to; o++) {
                float b = bias == null ? 0f : bias[o];
                for (int r = 0; r < rows; r++) {
                    y[r * out + o] = f.dotQ8(data, o * rowBytes, a, r * in, blocks) + b;
                }
            }
        });
    }

    /**
     * The scalar reference of {@link #matmul}: each weight row expanded by the format's
     * dequantize reference, then a plain float dot product; single-threaded.
     *
     * @param x the input {@code [rows, w.cols()]}
     * @param rows the number of input rows
     * @param w the weight
     * @param bias the bias, or {@code null}
     * @param y receives {@code [rows, w.rows()]}
     */
    public static void matmulReference(float[] x, int rows, GgufMatrix w, float[] bias, float[] y) {
        checkSizes(x.length, rows, w, bias, y);
        int out = w.rows();
        int in = w.cols();
        float[] row = new float[in];
        for (int o = 0; o < out; o++) {
            w.dequantizeRow(o, row, 0);
            for (int r = 0; r < rows; r++) {
                float s = 0f;
                for (int i = 0; i < in; i++) {
                    s += row[i] * x[r * in + i];
                }
                y[r * out + o] = bias == null ? s : s + bias[o];
            }
        }
    }

    /** This thread's expanded rows ([0], row-major) and their k-major copy ([1]), each at least {@code size}. */
    private static float[][] panels(int size) {
        float[][] holder = PANELS.get();
        if (holder[0].length < size) {
            holder[0] = new float[size];
            holder[1] = new float[size];
        }
        return holder;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static void checkSizes(int xLength, int rows, GgufMatrix w, float[] bias, float[] y) {
        if ((long) rows * w.cols() > xLength
                || (long) rows * w.rows() > y.length
                || (bias != null && bias.length < w.rows())) {
            throw new IllegalArgumentException("GGUF matmul sizes disagree: rows=" + rows + " W=[" + w.rows() + ", "
                    + w.cols() + "] x=" + xLength + " y=" + y.length + (bias == null ? "" : " bias=" + bias.length));
        }
    }
}
