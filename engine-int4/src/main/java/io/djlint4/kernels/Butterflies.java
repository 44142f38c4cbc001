package io.djlint4.kernels;

/** The two passes of a Hadamard transform: Walsh–Hadamard butterflies and a dense ±1 mix. */
interface Butterflies {

    /**
     * Unnormalized Walsh–Hadamard transform (Sylvester order) of {@code v[off .. off+m)} in place.
     *
     * @param v the data
     * @param off the offset
     * @param m the length, a power of two
     */
    void fwht(float[] v, int off, int m);

    /**
     * {@code dst[dstOff + a·m + b] = Σ_c h[a·k + c]·src[srcOff + c·m + b]}, summed in order of
     * {@code c} with fused multiply-adds.
     *
     * @param h the {@code k×k} matrix, row-major
     * @param k its order
     * @param src a {@code k×m} matrix
     * @param srcOff offset of {@code src}
     * @param m the row length
     * @param dst receives the {@code k×m} product
     * @param dstOff offset of {@code dst}
     */
    void mix(float[] h, int k, float[] src, int srcOff, int m, float[] dst, int dstOff);
}
