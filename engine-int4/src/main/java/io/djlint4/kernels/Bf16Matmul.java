package io.djlint4.kernels;

/**
 * {@code y = x · Wᵀ (+ b)} with float inputs and bfloat16 weights ({@link Bf16Matrix}): the product
 * of a layer kept in 16 bits, such as the classifier, reading half the bytes of {@link
 * Fp32Matmul}. The input is split once per call into its even and odd columns, so each packed int
 * feeds two fused multiply-adds. Work is split over output rows.
 */
public final class Bf16Matmul {

    /** Rows of W per task: enough work to amortize scheduling, small enough to balance. */
    private static final int GRAIN = 16;

    private static final Bf16Dot SCALAR = new ScalarBf16Dot();

    private static final Bf16Dot VECTOR_OR_NULL = VectorSupport.isAvailable() ? VectorKernels.bf16Dot() : null;

    private Bf16Matmul() {}

    /**
     * Computes {@code y[r, o] = Σ_c x[r, c] · w[o, c] (+ bias[o])}.
     *
     * @param x the input, row-major {@code [rows, w.cols()]}
     * @param rows the number of rows (tokens)
     * @param w the weight
     * @param bias {@code [w.rows()]}, or {@code null}
     * @param y receives {@code [rows, w.rows()]}
     */
    public static void matmul(float[] x, int rows, Bf16Matrix w, float[] bias, float[] y) {
        MatmulShapes.check(x, rows, w.cols(), w.rows(), bias, y);
        Bf16Dot d = VECTOR_OR_NULL != null ? VECTOR_OR_NULL : SCALAR;
        int pairs = w.pairs();
        float[] even = new float[rows * pairs];
        float[] odd = new float[rows * pairs];
        int in = w.cols();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < in; c++) {
                (c % 2 == 0 ? even : odd)[r * pairs + c / 2] = x[r * in + c];
            }
        }
        KernelThreads.parallelFor(w.rows(), GRAIN, (from, to) -> slice(d, even, odd, rows, w, bias, y, from, to));
    }

    /**
     * The scalar reference of {@link #matmul}: each sum in column order, single-threaded.
     *
     * @param x the input {@code [rows, w.cols()]}
     * @param rows the number of rows
     * @param w the weight
     * @param bias {@code [w.rows()]}, or {@code null}
     * @param y receives {@code [rows, w.rows()]}
     */
    public static void matmulScalar(float[] x, int rows, Bf16Matrix w, float[] bias, float[] y) {
        MatmulShapes.check(x, rows, w.cols(), w.rows(), bias, y);
        int in = w.cols();
        int out = w.rows();
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                float s = 0f;
                for (int c = 0; c < in; c++) {
                    s += x[r * in + c] * w.value(o, c);
                }
                y[r * out + o] = bias == null ? s : s + bias[o];
            }
        }
    }

    private static void slice(
            Bf16Dot d, float[] even, float[] odd, int rows, Bf16Matrix w, float[] bias, float[] y, int from, int to) {
        int pairs = w.pairs();
        int out = w.rows();
        int[] words = w.words();
        float[] four = new float[4];
        // The four rows of a pass come from the four quarters of the slice: four streams far apart
        // keep more weight bytes in flight from memory than four neighbouring rows.
        int quarter = (to - from) / 4;
        for (int i = 0; i < quarter; i++) {
            int o = from + i;
            for (int r = 0; r < rows; r++) {
                d.dot4(even, odd, r * pairs, words, o * pairs, quarter * pairs, pairs, four, 0);
                for (int k = 0; k < 4; k++) {
                    int row = o + k * quarter;
                    y[r * out + row] = bias == null ? four[k] : four[k] + bias[row];
                }
            }
        }
        for (int o = from + 4 * quarter; o < to; o++) {
            for (int r = 0; r < rows; r++) {
                float s = d.dot(even, odd, r * pairs, words, o * pairs, pairs);
                y[r * out + o] = bias == null ? s : s + bias[o];
            }
        }
    }
}
