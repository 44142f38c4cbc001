package io.djlint4.kernels;

/**
 * {@code y = x · Pᵀ} for a panel {@code P} of a few weight rows stored k-major ({@code [in,
 * width]}: value {@code k} of every panel row side by side), the register-blocked inner kernel of
 * a product over many input rows. Each step loads the panel's {@code width} weights of one input
 * channel once and multiplies them with that channel of four input rows, so the multiply-adds run
 * without horizontal sums (the row-major dot-product form spends most of its time reducing lanes:
 * at 128 tokens it reached a quarter of the CPU's multiply-add rate).
 *
 * <p>Every output is one running sum over {@code k = 0 .. in-1} in order, so a result does not
 * depend on how many rows are multiplied together (batch invariance). The Vector API path fuses
 * each multiply-add; the scalar path rounds them separately.
 */
public final class PanelGemm {

    private static final VectorPanelGemm VECTOR_OR_NULL = VectorSupport.isAvailable() ? new VectorPanelGemm() : null;

    /** Panel rows: four vectors of the preferred width on AVX-512, two below, 16 without the Vector API. */
    public static final int WIDTH = VECTOR_OR_NULL != null ? VECTOR_OR_NULL.width() : 16;

    private PanelGemm() {}

    /**
     * Rewrites {@code count} row-major weight rows {@code [count, in]} k-major as {@code [in,
     * WIDTH]}, filling rows {@code count .. WIDTH-1} with zeros.
     *
     * @param rowMajor the rows
     * @param count the number of rows, at most {@link #WIDTH}
     * @param in the row length
     * @param kMajor receives {@code in * WIDTH} values
     */
    public static void transpose(float[] rowMajor, int count, int in, float[] kMajor) {
        if (count > WIDTH || (long) in * WIDTH > kMajor.length || (long) count * in > rowMajor.length) {
            throw new IllegalArgumentException(
                    count + " rows of " + in + " do not fit a panel of " + WIDTH + " in " + kMajor.length + " values");
        }
        // k outer: the writes run contiguously and the reads are WIDTH sequential streams, which
        // stay in L1; j outer wrote one float per cache line and took a quarter of a prefill.
        for (int k = 0; k < in; k++) {
            int dst = k * WIDTH;
            for (int j = 0; j < count; j++) {
                kMajor[dst + j] = rowMajor[j * in + k];
            }
            for (int j = count; j < WIDTH; j++) {
                kMajor[dst + j] = 0f;
            }
        }
    }

    /**
     * Computes output channels {@code [first, first + count)} of every input row from a k-major
     * panel made by {@link #transpose}, single-threaded.
     *
     * @param x the input {@code [rows, in]}
     * @param rows the number of input rows
     * @param kMajor the panel {@code [in, WIDTH]}
     * @param first the output channel of the panel's first row
     * @param count the panel rows to write, at most {@link #WIDTH}
     * @param bias the bias {@code [out]}, or {@code null}
     * @param out the number of output channels of {@code y}
     * @param in the number of input channels
     * @param y receives the panel's channels of {@code [rows, out]}
     */
    public static void multiply(
            float[] x, int rows, float[] kMajor, int first, int count, float[] bias, int out, int in, float[] y) {
        if (count > WIDTH || first < 0 || first + count > out || (long) in * WIDTH > kMajor.length
                || (long) rows * in > x.length || (long) rows * out > y.length) {
            throw new IllegalArgumentException("panel product sizes disagree: rows=" + rows + " in=" + in + " out=" + out
                    + " first=" + first + " count=" + count);
        }
        if (VECTOR_OR_NULL != null) {
            VECTOR_OR_NULL.multiply(x, rows, kMajor, first, count, bias, out, in, y);
        } else {
            multiplyScalar(x, rows, kMajor, first, count, bias, out, in, y);
        }
    }

    /**
     * The scalar reference of {@link #multiply}.
     *
     * @param x the input {@code [rows, in]}
     * @param rows the number of input rows
     * @param kMajor the panel {@code [in, WIDTH]}
     * @param first the output channel of the panel's first row
     * @param count the panel rows to write
     * @param bias the bias {@code [out]}, or {@code null}
     * @param out the number of output channels of {@code y}
     * @param in the number of input channels
     * @param y receives the panel's channels of {@code [rows, out]}
     */
    public static void multiplyScalar(
            float[] x, int rows, float[] kMajor, int first, int count, float[] bias, int out, int in, float[] y) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < count; j++) {
                float s = 0f;
                for (int k = 0; k < in; k++) {
                    s += x[r * in + k] * kMajor[k * WIDTH + j];
                }
                y[r * out + first + j] = bias == null ? s : s + bias[first + j];
            }
        }
    }
}
