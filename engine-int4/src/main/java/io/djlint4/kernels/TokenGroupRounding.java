package io.djlint4.kernels;

/**
 * Activations quantized per token and per group of consecutive channels, written back as the
 * values their codes stand for: {@code q·s[t,g]} (symmetric) or {@code (q − z[t,g])·s[t,g]}
 * (asymmetric), each group's grid fitted as {@link QuantizedTokens} fits a whole token (ALGORITHMS.md
 * §2.1 and its group-wise variant). A row whose length is no multiple of the group ends in a
 * shorter group. The W4×FP32 product then multiplies those values, as it does for runtime-smoothed
 * codes: the same sums as an integer product with a scale per group, up to float summation order.
 */
public final class TokenGroupRounding {

    private static final RowQuantizer SCALAR = new ScalarRowQuantizer();
    private static final RowQuantizer VECTOR_OR_NULL =
            VectorSupport.isAvailable() ? VectorKernels.rowQuantizer() : null;

    private final int group;
    private final int bits;
    private final boolean symmetric;

    /**
     * Creates the rounding.
     *
     * @param group channels per grid, at least 1
     * @param bits the code width, 2 to 8
     * @param symmetric symmetric codes when {@code true}, else a zero point per group
     */
    public TokenGroupRounding(int group, int bits, boolean symmetric) {
        if (group < 1) {
            throw new IllegalArgumentException("activation group must be positive, got " + group);
        }
        if (bits < 2 || bits > 8) {
            throw new IllegalArgumentException("activation bits must be in 2..8, got " + bits);
        }
        this.group = group;
        this.bits = bits;
        this.symmetric = symmetric;
    }

    /**
     * Rounds {@code rows} rows of {@code x} (row-major {@code [rows, cols]}) into {@code out}.
     *
     * @param x the activations
     * @param rows the number of tokens
     * @param cols the row length
     * @param clip the clip ratio applied to each group's range, in {@code (0, 1]}
     * @param out receives the rounded values, {@code [rows, cols]}; may be {@code x}
     */
    public void round(float[] x, int rows, int cols, float clip, float[] out) {
        round(x, rows, cols, clip, out, VECTOR_OR_NULL != null ? VECTOR_OR_NULL : SCALAR);
    }

    /**
     * The scalar reference of {@link #round}; same contract.
     *
     * @param x the activations
     * @param rows the number of tokens
     * @param cols the row length
     * @param clip the clip ratio
     * @param out receives the rounded values
     */
    public void roundScalar(float[] x, int rows, int cols, float clip, float[] out) {
        round(x, rows, cols, clip, out, SCALAR);
    }

    private void round(float[] x, int rows, int cols, float clip, float[] out, RowQuantizer q) {
        if (rows < 0 || cols < 1 || (long) rows * cols > Math.min(x.length, out.length)) {
            throw new IllegalArgumentException("rows=" + rows + ", cols=" + cols + " exceed the arrays");
        }
        if (!(clip > 0f && clip <= 1f)) {
            throw new IllegalArgumentException("clip ratio must be in (0, 1]: " + clip);
        }
        for (int t = 0; t < rows; t++) {
            for (int start = 0; start < cols; start += group) {
                int off = t * cols + start;
                q.roundRow(x, off, Math.min(group, cols - start), clip, bits, symmetric, out, off);
            }
        }
    }
}
