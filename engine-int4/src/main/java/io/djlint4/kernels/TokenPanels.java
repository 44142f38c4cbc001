package io.djlint4.kernels;

/**
 * Activations re-laid for the GEMM micro-kernel ({@link TileKernels#multiplyPacked}): each full
 * block of {@code block} consecutive tokens is stored column-interleaved, {@code [k][r]}, so the
 * kernel reads the block's {@code block} activations of one input channel from one place instead of
 * from {@code block} rows far apart (one index and one bounds check instead of six, which lets
 * JDK 17's C2 keep the FMA units busy; newer C2 does better with the row-major kernel, see {@link
 * TileKernels#tokenPanels}). A block starts at the same offset as in the row-major array, {@code
 * t0·in}; tokens after the last full block stay row-major. Packing is one copy per call, linear in
 * the activations.
 */
final class TokenPanels {

    private TokenPanels() {}

    /**
     * Returns the activations in the layout {@link TileKernels#multiplyPacked} of {@code v} reads:
     * {@code a} itself when the kernel reads row-major activations, else a packed copy in the
     * calling thread's workspace.
     *
     * @param v the kernels
     * @param a row-major {@code [rows × in]} activations
     * @param rows tokens
     * @param in columns
     * @return {@code a} or the packed copy
     */
    static float[] forKernel(TileKernels v, float[] a, int rows, int in) {
        if (!v.tokenPanels()) {
            return a;
        }
        float[] packed = TileWorkspace.current().call(rows * in);
        pack(a, rows, in, v.tokenBlock(), packed);
        return packed;
    }

    /**
     * Packs {@code [rows × in]} row-major activations.
     *
     * @param a the activations
     * @param rows tokens
     * @param in columns
     * @param block tokens per panel ({@link TileKernels#tokenBlock()})
     * @param dst receives {@code rows·in} values
     */
    static void pack(float[] a, int rows, int in, int block, float[] dst) {
        int full = rows / block * block;
        for (int t0 = 0; t0 < full; t0 += block) {
            int base = t0 * in;
            for (int r = 0; r < block; r++) {
                int src = base + r * in;
                for (int k = 0; k < in; k++) {
                    dst[base + k * block + r] = a[src + k];
                }
            }
        }
        System.arraycopy(a, full * in, dst, full * in, (rows - full) * in);
    }
}
