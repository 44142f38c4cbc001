package io.djlint4.kernels;

import java.util.Arrays;

/**
 * {@code y = x · Ŵᵀ (+ b)} with float activations and INT4 weights (W4A16-style, the AdaDim and
 * weight-only paths): GEMV for one or a few tokens, GEMM for prefill, for the per-OC layout ({@link
 * PackedInt4Matrix}) and the per-IC layout ({@link PackedInt4PerIcMatrix}).
 *
 * <p>Few tokens: the codes of each tile are unpacked in registers and multiplied straight away,
 * one group at a time, with the group's scale applied to the partial sum (§2.4c). Many tokens: a
 * block of {@value #KC} input channels of a tile is decoded to floats once and reused by every
 * token, so unpacking costs little next to the FMAs. Work is split over output tiles. The two
 * sum in different orders, so the choice follows the rows of a sequence, not of the call ({@link
 * RowGroups}): batching sequences does not change their results.
 */
public final class Int4Matmul {

    /** Input channels per decoded tile: 16 KB of floats at width 16, comfortably in L1. */
    private static final int KC = 256;

    /** From this many tokens on, decoding a tile once beats unpacking it per token. */
    private static final int GEMM_MIN_ROWS = 3;

    private static final TileKernels VECTOR_OR_NULL =
            VectorSupport.isAvailable() ? VectorKernels.tileKernels() : null;

    private Int4Matmul() {}

    /**
     * Computes {@code y[t, o] = Σ_k x[t, k]·Ŵ[o, k] (+ bias[o])}.
     *
     * @param x activations, row-major {@code [rows, w.cols()]}
     * @param rows tokens
     * @param w the packed weight
     * @param bias {@code [w.rows()]} or {@code null}
     * @param y receives {@code [rows, w.rows()]}
     */
    public static void matmul(float[] x, int rows, PackedInt4Matrix w, float[] bias, float[] y) {
        matmul(x, RowGroups.single(rows), w, bias, y);
    }

    /**
     * Computes {@code y = x · Ŵᵀ (+ b)} for rows of several sequences: the rows of each group take
     * the kernel they take alone (GEMV under {@value #GEMM_MIN_ROWS} rows, else GEMM), so each
     * row's result does not depend on the other groups.
     *
     * @param x activations {@code [groups.rows(), w.cols()]}
     * @param groups the rows, by sequence
     * @param w the packed weight
     * @param bias {@code [w.rows()]} or {@code null}
     * @param y receives {@code [groups.rows(), w.rows()]}
     */
    public static void matmul(float[] x, RowGroups groups, PackedInt4Matrix w, float[] bias, float[] y) {
        int rows = groups.rows();
        MatmulShapes.check(x, rows, w.cols(), w.rows(), bias, y);
        TileKernels v = VECTOR_OR_NULL;
        if (v == null || w.tileWidth() != v.tileWidth()) {
            KernelThreads.parallelFor(w.rows(), 16, (from, to) -> scalarRows(x, rows, w, bias, y, from, to));
        } else {
            GroupSizeDispatch.run(
                    x,
                    w.cols(),
                    groups,
                    w.rows(),
                    y,
                    GEMM_MIN_ROWS,
                    (a, n, out) -> gemv(v, a, n, w, bias, out),
                    (a, n, out) -> gemm(v, a, n, w, bias, out));
        }
    }

    /**
     * The scalar reference of {@link #matmul(float[], int, PackedInt4Matrix, float[], float[])}:
     * each weight row is dequantized to {@code (q − z)·s} and dotted with each token in order.
     *
     * @param x activations {@code [rows, w.cols()]}
     * @param rows tokens
     * @param w the packed weight
     * @param bias {@code [w.rows()]} or {@code null}
     * @param y receives {@code [rows, w.rows()]}
     */
    public static void matmulScalar(float[] x, int rows, PackedInt4Matrix w, float[] bias, float[] y) {
        MatmulShapes.check(x, rows, w.cols(), w.rows(), bias, y);
        scalarRows(x, rows, w, bias, y, 0, w.rows());
    }

    /**
     * Computes {@code y = x · Ŵᵀ (+ b)} for the per-IC layout.
     *
     * @param x activations {@code [rows, w.cols()]}
     * @param rows tokens
     * @param w the packed weight
     * @param bias {@code [w.rows()]} or {@code null}
     * @param y receives {@code [rows, w.rows()]}
     */
    public static void matmul(float[] x, int rows, PackedInt4PerIcMatrix w, float[] bias, float[] y) {
        matmul(x, RowGroups.single(rows), w, bias, y);
    }

    /**
     * Computes {@code y = x · Ŵᵀ (+ b)} for the per-IC layout and rows of several sequences, each
     * group's rows on the kernel they take alone.
     *
     * @param x activations {@code [groups.rows(), w.cols()]}
     * @param groups the rows, by sequence
     * @param w the packed weight
     * @param bias {@code [w.rows()]} or {@code null}
     * @param y receives {@code [groups.rows(), w.rows()]}
     */
    public static void matmul(float[] x, RowGroups groups, PackedInt4PerIcMatrix w, float[] bias, float[] y) {
        int rows = groups.rows();
        MatmulShapes.check(x, rows, w.cols(), w.rows(), bias, y);
        TileKernels v = VECTOR_OR_NULL;
        if (v == null || w.tileWidth() != v.tileWidth() || w.groupSize() % v.tileWidth() != 0) {
            KernelThreads.parallelFor(w.rows(), 16, (from, to) -> scalarRows(x, rows, w, bias, y, from, to));
        } else {
            GroupSizeDispatch.run(
                    x,
                    w.cols(),
                    groups,
                    w.rows(),
                    y,
                    GEMM_MIN_ROWS,
                    (a, n, out) -> gemvPerIc(v, a, n, w, bias, out),
                    (a, n, out) -> gemmPerIc(v, a, n, w, bias, out));
        }
    }

    /**
     * The scalar reference of the per-IC product; same contract.
     *
     * @param x activations {@code [rows, w.cols()]}
     * @param rows tokens
     * @param w the packed weight
     * @param bias {@code [w.rows()]} or {@code null}
     * @param y receives {@code [rows, w.rows()]}
     */
    public static void matmulScalar(
            float[] x, int rows, PackedInt4PerIcMatrix w, float[] bias, float[] y) {
        MatmulShapes.check(x, rows, w.cols(), w.rows(), bias, y);
        scalarRows(x, rows, w, bias, y, 0, w.rows());
    }

    private static void scalarRows(
            float[] x, int rows, PackedInt4Matrix w, float[] bias, float[] y, int from, int to) {
        int in = w.cols();
        int out = w.rows();
        float[] row = new float[in];
        for (int o = from; o < to; o++) {
            for (int k = 0; k < in; k++) {
                int g = k / w.groupSize();
                row[k] = (w.code(o, k) - w.zeroPoint(o, g)) * w.scale(o, g);
            }
            dotRows(x, rows, row, in, bias, o, out, y);
        }
    }

    private static void scalarRows(
            float[] x, int rows, PackedInt4PerIcMatrix w, float[] bias, float[] y, int from, int to) {
        int in = w.cols();
        int out = w.rows();
        float[] row = new float[in];
        for (int o = from; o < to; o++) {
            for (int k = 0; k < in; k++) {
                row[k] = (w.code(o, k) - w.zeroPoint(o, k)) * w.scale(o, k);
            }
            dotRows(x, rows, row, in, bias, o, out, y);
        }
    }

    private static void dotRows(
            float[] x, int rows, float[] row, int in, float[] bias, int o, int out, float[] y) {
        for (int t = 0; t < rows; t++) {
            float s = 0f;
            for (int k = 0; k < in; k++) {
                s += x[t * in + k] * row[k];
            }
            y[t * out + o] = bias == null ? s : s + bias[o];
        }
    }

    private static void gemv(TileKernels v, float[] x, int rows, PackedInt4Matrix w, float[] bias, float[] y) {
        NibbleTiles nt = w.tiles();
        int in = nt.cols;
        int width = nt.width;
        int g = w.groupSize();
        int groups = w.groups();
        float[] scales = w.tileScales();
        float[] zeros = w.tileZeros();
        TileWorkspace caller = TileWorkspace.current();
        float[] xs = caller.call(rows * in);
        float[] sums = caller.call2(2 * rows * groups);
        Int4GemvInputs.prescale(x, rows, in, xs);
        Int4GemvInputs.groupSums(x, rows, in, g, groups, w.symmetric(), sums, rows * groups);
        KernelThreads.parallelFor(
                nt.tiles,
                1,
                (from, to) -> {
                    TileWorkspace ws = TileWorkspace.current();
                    float[] part = ws.part(width);
                    float[] acc = ws.acc(rows * width);
                    for (int tile = from; tile < to; tile++) {
                        Arrays.fill(acc, 0, rows * width, 0f);
                        for (int t = 0; t < rows; t++) {
                            for (int grp = 0; grp < groups; grp++) {
                                int k0 = grp * g;
                                int p = w.tileGroupIndex(tile, grp);
                                v.dotInt4(
                                        nt.words,
                                        nt.wordIndex(tile, k0 / NibbleTiles.CHUNK),
                                        Math.min(g, in - k0),
                                        xs,
                                        t * in + k0,
                                        part);
                                v.endGroup(part, sums[t * groups + grp], sums[rows * groups + t * groups + grp],
                                        scales, zeros, p, acc, t * width);
                            }
                        }
                        MatmulShapes.writeTile(acc, rows, width, tile, nt.rows, null, bias, y);
                    }
                });
    }

    private static void gemm(TileKernels v, float[] x, int rows, PackedInt4Matrix w, float[] bias, float[] y) {
        NibbleTiles nt = w.tiles();
        int in = nt.cols;
        int width = nt.width;
        int g = w.groupSize();
        boolean signed = w.symmetric();
        float[] scales = w.tileScales();
        float[] zeros = w.tileZeros();
        int mr = v.tokenBlock();
        float[] packed = TokenPanels.forKernel(v, x, rows, in);
        KernelThreads.parallelFor(
                nt.tiles,
                1,
                (from, to) -> {
                    TileWorkspace ws = TileWorkspace.current();
                    float[] tileBuf = ws.tile(KC * width);
                    float[] part = ws.part(mr * width);
                    float[] acc = ws.acc(rows * width);
                    for (int tile = from; tile < to; tile++) {
                        Arrays.fill(acc, 0, rows * width, 0f);
                        for (int k0 = 0; k0 < in; k0 += KC) {
                            int kEnd = Math.min(in, k0 + KC);
                            for (int k = k0; k < kEnd; ) {
                                int grp = k / g;
                                int gEnd = Math.min(kEnd, (grp + 1) * g);
                                v.decodeInt4(
                                        nt.words,
                                        nt.wordIndex(tile, k / NibbleTiles.CHUNK),
                                        gEnd - k,
                                        signed,
                                        zeros,
                                        scales,
                                        w.tileGroupIndex(tile, grp),
                                        tileBuf,
                                        (k - k0) * width);
                                k = gEnd;
                            }
                            for (int t0 = 0; t0 < rows; t0 += mr) {
                                int m = Math.min(mr, rows - t0);
                                v.multiplyPacked(packed, rows, in, t0, k0, kEnd - k0, tileBuf, 0, part);
                                v.addInto(part, acc, t0 * width, m * width);
                            }
                        }
                        MatmulShapes.writeTile(acc, rows, width, tile, nt.rows, null, bias, y);
                    }
                });
    }

    private static void gemvPerIc(
            TileKernels v, float[] x, int rows, PackedInt4PerIcMatrix w, float[] bias, float[] y) {
        NibbleTiles nt = w.tiles();
        int in = nt.cols;
        int width = nt.width;
        int g = w.groupSize();
        int outGroups = nt.rows / g;
        float[] scales = w.groupScales();
        float[] zeros = w.groupZeros();
        // x pre-scaled per output group (§6.2), u = s[G][k]·x[t][k]: the kernel reads
        // xs = u·16^−(k%8) and adds c[t][G] = Σ_k (bias(k) − z[G][k])·u back.
        float[] xs = TileWorkspace.current().call(rows * outGroups * in);
        float[] corr = TileWorkspace.current().call2(rows * outGroups);
        boolean signed = w.symmetric();
        for (int t = 0; t < rows; t++) {
            for (int grp = 0; grp < outGroups; grp++) {
                int dst = (t * outGroups + grp) * in;
                float c = 0f;
                for (int k = 0; k < in; k++) {
                    float u = scales[grp * in + k] * x[t * in + k];
                    float z = zeros == null ? 0f : zeros[grp * in + k];
                    xs[dst + k] = u;
                    c += (NibbleTiles.int4Bias(k, signed) - z) * u;
                }
                corr[t * outGroups + grp] = c;
            }
        }
        Int4GemvInputs.prescale(xs, rows * outGroups, in, xs);
        KernelThreads.parallelFor(
                nt.tiles,
                1,
                (from, to) -> {
                    TileWorkspace ws = TileWorkspace.current();
                    float[] part = ws.part(width);
                    float[] acc = ws.acc(rows * width);
                    for (int tile = from; tile < to; tile++) {
                        int grp = tile * width / g;
                        for (int t = 0; t < rows; t++) {
                            v.dotInt4(
                                    nt.words,
                                    nt.wordIndex(tile, 0),
                                    in,
                                    xs,
                                    (t * outGroups + grp) * in,
                                    part);
                            float c = corr[t * outGroups + grp];
                            for (int l = 0; l < width; l++) {
                                acc[t * width + l] = part[l] + c;
                            }
                        }
                        MatmulShapes.writeTile(acc, rows, width, tile, nt.rows, null, bias, y);
                    }
                });
    }

    private static void gemmPerIc(
            TileKernels v, float[] x, int rows, PackedInt4PerIcMatrix w, float[] bias, float[] y) {
        NibbleTiles nt = w.tiles();
        int in = nt.cols;
        int width = nt.width;
        int g = w.groupSize();
        float[] scales = w.groupScales();
        float[] zeros = w.groupZeros();
        int mr = v.tokenBlock();
        float[] packed = TokenPanels.forKernel(v, x, rows, in);
        KernelThreads.parallelFor(
                nt.tiles,
                1,
                (from, to) -> {
                    TileWorkspace ws = TileWorkspace.current();
                    float[] tileBuf = ws.tile(KC * width);
                    float[] part = ws.part(mr * width);
                    float[] acc = ws.acc(rows * width);
                    for (int tile = from; tile < to; tile++) {
                        int p = tile * width / g * in;
                        Arrays.fill(acc, 0, rows * width, 0f);
                        for (int k0 = 0; k0 < in; k0 += KC) {
                            int kLen = Math.min(in, k0 + KC) - k0;
                            v.decodeInt4Columns(
                                    nt.words,
                                    nt.wordIndex(tile, k0 / NibbleTiles.CHUNK),
                                    kLen,
                                    w.symmetric(),
                                    zeros,
                                    scales,
                                    p + k0,
                                    tileBuf);
                            for (int t0 = 0; t0 < rows; t0 += mr) {
                                int m = Math.min(mr, rows - t0);
                                v.multiplyPacked(packed, rows, in, t0, k0, kLen, tileBuf, 0, part);
                                v.addInto(part, acc, t0 * width, m * width);
                            }
                        }
                        MatmulShapes.writeTile(acc, rows, width, tile, nt.rows, null, bias, y);
                    }
                });
    }
}
