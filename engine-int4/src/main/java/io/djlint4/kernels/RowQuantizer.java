package io.djlint4.kernels;

/** The fused "quantize this row" kernels behind {@link QuantizedTokens}. */
interface RowQuantizer {

    /**
     * Quantizes {@code x[xOff .. xOff+n)} symmetrically (ALGORITHMS.md §2.1 {@code fitSym},
     * activation variant: scale 1 for an all-zero row) and writes codes and their float values.
     *
     * @param x the input
     * @param xOff the row's offset
     * @param n the row length
     * @param clip the clip ratio applied to the row's range
     * @param qmax 7 (4 bits) or 127 (8 bits)
     * @param codes receives the codes at {@code off}
     * @param values receives the codes as floats at {@code off}
     * @param off where to write
     * @return the row's scale
     */
    float quantizeRow(
            float[] x, int xOff, int n, float clip, int qmax, byte[] codes, float[] values, int off);

    /**
     * Quantizes {@code x[xOff .. xOff+n)} asymmetrically (ALGORITHMS.md §2.1 {@code fitAsym} and
     * {@code quantAsym}, the range floored at 1e-5 as {@link AsymmetricRowGrid} says) and writes the
     * codes and their float values centred, {@code q − 2^(b−1)}, so they span the signed byte range
     * of symmetric codes.
     *
     * @param x the input
     * @param xOff the row's offset
     * @param n the row length
     * @param clip the clip ratio applied to the row's range
     * @param bits the code width, 2 to 8
     * @param codes receives the centred codes at {@code off}
     * @param values receives the centred codes as floats at {@code off}
     * @param off where to write
     * @return the row's grid, its zero point centred the same way
     */
    AsymmetricRowGrid quantizeRowAsymmetric(
            float[] x, int xOff, int n, float clip, int bits, byte[] codes, float[] values, int off);

    /**
     * Quantizes {@code x[xOff .. xOff+n)} on its own grid, as {@link #quantizeRow} (symmetric) or
     * {@link #quantizeRowAsymmetric} does, and writes the values its codes stand for, {@code q·s}
     * or {@code (q − z)·s}, without keeping the codes.
     *
     * @param x the input
     * @param xOff the row's offset
     * @param n the row length
     * @param clip the clip ratio applied to the row's range
     * @param bits the code width, 2 to 8
     * @param symmetric symmetric codes, else a zero point
     * @param out receives the values at {@code outOff}; may be {@code x} at {@code xOff}
     * @param outOff where to write
     */
    void roundRow(float[] x, int xOff, int n, float clip, int bits, boolean symmetric, float[] out, int outOff);
}
