package io.djlint4.kernels;

/**
 * Activations re-laid for the GEMM micro-kernel ({@link TileKernels#multiplyPacked}): each full
 * block of {@code block} consecutive tokens is stored column-interleaved, {@code [k][r]}, so the
 * kernel reads the block's {@code block} activations of one input channel from one place instead of
 * from {@code block} rows far apart (one index and one bounds check instead of six, which lets C2
 * keep the FMA units busy). A block starts at the same offset as in the row-major array, {@code
 * t0·in}; tokens after the last full block stay row-major. Packing is one copy per call, linear in
 * the activations.
 */
final class TokenPanels {

    private TokenPanels() {}

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
