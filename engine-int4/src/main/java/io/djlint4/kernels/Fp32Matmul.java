package io.djlint4.kernels;

/**
 * Full-precision {@code y = x · Wᵀ}: the GEMV/GEMM every unquantized linear layer uses and the
 * baseline the 4-bit kernels are measured against. Work is split over output channels so each
 * thread streams its own slice of {@code W} once for all rows of {@code x}.
 */
public final class Fp32Matmul {

    /** Rows of W per task: enough work to amortize scheduling, small enough to balance. */
    private static final int GRAIN = 16;

    private static final FloatDot SCALAR = new ScalarFloatDot();

    private static final FloatDot VECTOR_OR_NULL =
            VectorSupport.isAvailable() ? VectorKernels.floatDot() : null;

    private Fp32Matmul() {}

    /**
     * Computes {@code y[r, o] = Σ_i x[r, i] · w[o, i] (+ bias[o])} for {@code r < rows}, {@code o <
     * out}.
     *
     * @param x the input, row-major {@code [rows, in]}
     * @param rows the number of rows (tokens)
     * @param w the weight, row-major {@code [out, in]}
     * @param bias the bias {@code [out]}, or {@code null}
     * @param out the number of output channels
     * @param in the number of input channels
     * @param y receives the output, row-major {@code [rows, out]}
     */
    public static void matmul(
            float[] x, int rows, float[] w, float[] bias, int out, int in, float[] y) {
        matmul(x, rows, w, bias, out, in, y, VECTOR_OR_NULL != null ? VECTOR_OR_NULL : SCALAR);
    }

    /**
     * The scalar reference of {@link #matmul}; same contract, single-threaded.
     *
     * @param x the input {@code [rows, in]}
     * @param rows the number of rows
     * @param w the weight {@code [out, in]}
     * @param bias the bias or {@code null}
     * @param out the number of output channels
     * @param in the number of input channels
     * @param y receives {@code [rows, out]}
     */
    public static void matmulScalar(
            float[] x, int rows, float[] w, float[] bias, int out, int in, float[] y) {
        rowsTimesSlice(x, rows, w, bias, out, in, y, SCALAR, 0, out);
    }

    private static void matmul(
            float[] x, int rows, float[] w, float[] bias, int out, int in, float[] y, FloatDot d) {
        checkSizes(x, rows, w, bias, out, in, y);
        KernelThreads.parallelFor(
                out, GRAIN, (from, to) -> rowsTimesSlice(x, rows, w, bias, out, in, y, d, from, to));
    }

    private static void rowsTimesSlice(
            float[] x,
            int rows,
            float[] w,
            float[] bias,
            int out,
            int in,
            float[] y,
            FloatDot d,
            int from,
            int to) {
        float[] four = new float[4];
        // The four rows of a pass come from the four quarters of the slice: four streams far apart
        // keep more weight bytes in flight from memory than four neighbouring rows.
        int quarter = (to - from) / 4;
        for (int i = 0; i < quarter; i++) {
            int o = from + i;
            for (int r = 0; r < rows; r++) {
                d.dot4(x, r * in, w, o * in, quarter * in, in, four, 0);
                for (int k = 0; k < 4; k++) {
                    int row = o + k * quarter;
                    y[r * out + row] = bias == null ? four[k] : four[k] + bias[row];
                }
            }
        }
        for (int o = from + 4 * quarter; o < to; o++) {
            for (int r = 0; r < rows; r++) {
                float s = d.dot(x, r * in, w, o * in, in);
                y[r * out + o] = bias == null ? s : s + bias[o];
            }
        }
    }

    private static void checkSizes(
            float[] x, int rows, float[] w, float[] bias, int out, int in, float[] y) {
        if ((long) rows * in > x.length
                || (long) out * in > w.length
                || (long) rows * out > y.length
                || (bias != null && bias.length < out)) {
            throw new IllegalArgumentException(
                    "matmul sizes disagree: rows="
                            + rows
                            + " in="
                            + in
                            + " out="
                            + out
                            + " x="
                            + x.length
                            + " w="
                            + w.length
                            + " y="
                            + y.length);
        }
    }
}
