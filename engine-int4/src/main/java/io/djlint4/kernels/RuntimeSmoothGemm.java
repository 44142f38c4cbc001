package io.djlint4.kernels;

import java.util.Arrays;

/**
 * The integer GEMM of Runtime Smooth (ALGORITHMS.md §4.2, integer path): {@code y[t, o] = (Σ_g
 * R[g]·p_g[t, o])·s_w[o]·s[t] (+ b[o])} with {@code p_g = Σ_{j∈g} q[t, j]·(q_w[o, π(j)] − z_o)} an
 * exact integer per sorted group, accumulated in float in group order ({@code total = fma(p_g,
 * R[g], total)}), then {@code y = (total·s_w[o])·s[t] + b}. With all {@code R[g] = 1} this equals
 * {@link Int4IntegerGemm} on the same codes bit for bit.
 *
 * <p>Weights must have one scale per output channel (the group order changes every call, so it
 * cannot follow input-channel groups). They are read through π: each output tile is decoded once
 * per call in natural order and its rows are gathered in sorted order by the product.
 */
public final class RuntimeSmoothGemm {

    private static final int TOKEN_BLOCK = 4;

    private static final TileKernels VECTOR_OR_NULL =
            VectorSupport.isAvailable() ? VectorKernels.tileKernels() : null;

    private RuntimeSmoothGemm() {}

    /**
     * Computes the product of smoothed activations and a per-output-channel INT4 weight.
     *
     * @param x the smoothed activations ({@code x.cols() == w.cols()}), after {@link
     *     RuntimeSmoothing#compute}
     * @param w the packed weight, one scale per output channel
     * @param bias {@code [w.rows()]} or {@code null}
     * @param y receives {@code [x.rows(), w.rows()]}
     */
    public static void matmul(RuntimeSmoothing x, PackedInt4Matrix w, float[] bias, float[] y) {
        check(x, w, bias, y);
        TileKernels v = VECTOR_OR_NULL;
        if (v == null || w.tileWidth() != v.tileWidth()) {
            KernelThreads.parallelFor(w.rows(), 16, (from, to) -> scalarRows(x, w, bias, y, from, to));
        } else {
            vectorTiles(v, x, w, bias, y);
        }
    }

    /**
     * The scalar int32 reference of {@link #matmul}; same contract.
     *
     * @param x the smoothed activations
     * @param w the packed weight
     * @param bias {@code [w.rows()]} or {@code null}
     * @param y receives {@code [x.rows(), w.rows()]}
     */
    public static void matmulScalar(RuntimeSmoothing x, PackedInt4Matrix w, float[] bias, float[] y) {
        check(x, w, bias, y);
        scalarRows(x, w, bias, y, 0, w.rows());
    }

    private static void check(RuntimeSmoothing x, PackedInt4Matrix w, float[] bias, float[] y) {
        if (x.cols() != w.cols()) {
            throw new IllegalArgumentException(
                    "activation width " + x.cols() + " != weight input channels " + w.cols());
        }
        if (!x.tokens().symmetric()) {
            throw new IllegalArgumentException("the gathered runtime-smooth GEMM takes symmetric activation codes;"
                    + " asymmetric ones run on the float product of what they stand for");
        }
        if (!w.hasIntegerZeroPoints()) {
            throw new IllegalArgumentException("the runtime-smooth GEMM needs integer weight zero points");
        }
        if (w.groups() != 1) {
            throw new IllegalArgumentException("runtime smoothing needs one weight scale per output channel");
        }
        if (!RuntimeSmoothing.exactGroupSums(x.cols(), x.groupSize(), x.tokens().bits())) {
            throw new IllegalArgumentException("smoothing group " + x.groupSize() + " too large for exact "
                    + x.tokens().bits() + "-bit group sums");
        }
        MatmulShapes.check(null, x.rows(), w.cols(), w.rows(), bias, y);
    }

    private static void scalarRows(
            RuntimeSmoothing x, PackedInt4Matrix w, float[] bias, float[] y, int from, int to) {
        int in = w.cols();
        int out = w.rows();
        int[] row = new int[in];
        for (int o = from; o < to; o++) {
            int z = (int) w.zeroPoint(o, 0);
            for (int j = 0; j < in; j++) {
                row[j] = w.code(o, x.channelAt(j)) - z;
            }
            for (int t = 0; t < x.rows(); t++) {
                float total = 0f;
                int group = x.groupSize();
                for (int grp = 0; grp < x.groups(); grp++) {
                    int p = 0;
                    int end = Math.min(in, grp * group + group);
                    for (int j = grp * group; j < end; j++) {
                        p += x.code(t, j) * row[j];
                    }
                    total = Math.fma((float) p, x.groupScale(grp), total);
                }
                float v = total * w.scale(o, 0) * x.scale(t);
                y[t * out + o] = bias == null ? v : v + bias[o];
            }
        }
    }

    private static void vectorTiles(
            TileKernels v, RuntimeSmoothing x, PackedInt4Matrix w, float[] bias, float[] y) {
        NibbleTiles nt = w.tiles();
        int rows = x.rows();
        int in = nt.cols;
        int width = nt.width;
        float[] a = x.tokens().valueArray();
        float[] scales = w.tileScales();
        int[] order = x.orderArray();
        float[] groupScale = x.groupScaleArray();
        float[] tokenScale = x.tokens().scaleArray();
        int group = x.groupSize();
        KernelThreads.parallelFor(
                nt.tiles,
                1,
                (from, to) -> {
                    TileWorkspace ws = TileWorkspace.current();
                    float[] tileBuf = ws.tile(in * width);
                    float[] part = ws.part(TOKEN_BLOCK * width);
                    float[] acc = ws.acc(rows * width);
                    for (int tile = from; tile < to; tile++) {
                        Arrays.fill(acc, 0, rows * width, 0f);
                        v.decodeInt4(
                                nt.words,
                                nt.wordIndex(tile, 0),
                                in,
                                w.symmetric(),
                                w.tileZeros(),
                                null,
                                w.tileGroupIndex(tile, 0),
                                tileBuf,
                                0);
                        for (int t0 = 0; t0 < rows; t0 += TOKEN_BLOCK) {
                            int m = Math.min(TOKEN_BLOCK, rows - t0);
                            for (int grp = 0; grp < groupScale.length; grp++) {
                                int j0 = grp * group;
                                int len = Math.min(group, in - j0);
                                v.multiplyGathered(a, t0 * in + j0, in, m, tileBuf, order, j0, len, part);
                                v.fmaScalarInto(part, groupScale[grp], acc, t0 * width, m * width);
                            }
                        }
                        int p = w.tileGroupIndex(tile, 0);
                        for (int t = 0; t < rows; t++) {
                            for (int l = 0; l < width; l++) {
                                acc[t * width + l] *= scales[p + l];
                            }
                        }
                        MatmulShapes.writeTile(acc, rows, width, tile, nt.rows, tokenScale, bias, y);
                    }
                });
    }
}
