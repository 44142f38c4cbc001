package io.djlint4.kernels;

import java.util.Arrays;

/**
 * W4A8 and W4A4 products with integer accumulation (ALGORITHMS.md §2.4): {@code y[t, o] = s_x[t] ·
 * Σ_G s_w[o, G]·(Σ_{k∈G} (q_w[o, k] − z[o, G])·(q_x[t, k] − z_x[t])) (+ b[o])}, the inner sums
 * exact integers, the outer sum in float in group order: {@code total = fma(p_G, s_w[o, G], total)},
 * then {@code y = total·s_x[t] + b}. Symmetric activations have {@code z_x = 0}; asymmetric ones
 * get their zero point in as {@code p_G = Σ q_x·(q_w − z) − z_x[t]·W[o, G]} with the weight code
 * sums {@code W} of {@link WeightCodeSums}, so the codes stay 8-bit and the sums int32.
 *
 * <p>Both Vector API paths form the inner sums exactly, so their results equal the scalar int32
 * reference bit for bit. One or two tokens (decode) take {@link TileKernels#int4CodeTile}: 16-bit
 * integer multiplies of the packed nibbles, read in place, by pairs of codes, twice the products
 * per instruction of the float path and no int-to-float conversion; the weights are read once per
 * token, so this is where the instruction count per weight decides the speed. More tokens
 * (prefill) decode each tile to integer-valued floats once and multiply on the FMA units; every
 * partial sum there is an integer below 2^24 in magnitude (blocks of at most {@value #KC} columns)
 * and therefore exact, longer sums are carried in int.
 */
public final class Int4IntegerGemm {

    /** Columns per decoded tile in the GEMM path. */
    private static final int KC = 256;

    private static final int GEMM_MIN_ROWS = 3;

    private static final TileKernels VECTOR_OR_NULL =
            VectorSupport.isAvailable() ? VectorKernels.tileKernels() : null;

    private Int4IntegerGemm() {}

    /**
     * Computes {@code y = x̂ · Ŵᵀ (+ b)} from per-token symmetric activation codes.
     *
     * @param x the quantized activations ({@code x.cols() == w.cols()}), symmetric
     * @param w the packed weight
     * @param bias {@code [w.rows()]} or {@code null}
     * @param y receives {@code [x.rows(), w.rows()]}
     * @throws IllegalArgumentException when the codes are asymmetric (they need the weight's code sums)
     */
    public static void matmul(QuantizedTokens x, PackedInt4Matrix w, float[] bias, float[] y) {
        matmul(x, w, null, bias, y);
    }

    /**
     * Computes {@code y = x̂ · Ŵᵀ (+ b)} from per-token quantized activations, symmetric or
     * asymmetric.
     *
     * @param x the quantized activations ({@code x.cols() == w.cols()})
     * @param w the packed weight
     * @param sums the code sums of {@code w}, needed for asymmetric activation codes; may be {@code
     *     null} for symmetric ones
     * @param bias {@code [w.rows()]} or {@code null}
     * @param y receives {@code [x.rows(), w.rows()]}
     */
    public static void matmul(QuantizedTokens x, PackedInt4Matrix w, WeightCodeSums sums, float[] bias, float[] y) {
        check(x, w, bias, y);
        if (!x.symmetric() && (sums == null || !sums.belongsTo(w))) {
            throw new IllegalArgumentException(
                    "asymmetric activation codes need the code sums of this weight (WeightCodeSums.of)");
        }
        int[] weightSums = x.symmetric() ? null : sums.tileArray();
        TileKernels v = VECTOR_OR_NULL;
        if (v == null || w.tileWidth() != v.tileWidth()) {
            KernelThreads.parallelFor(w.rows(), 16, (from, to) -> scalarRows(x, w, bias, y, from, to));
        } else if (x.rows() < GEMM_MIN_ROWS) {
            gemv(v, x, w, weightSums, bias, y);
        } else {
            gemm(v, x, w, weightSums, bias, y);
        }
    }

    /**
     * The scalar int32 reference of {@link #matmul}, for symmetric and asymmetric codes alike: each
     * group's sum is {@code Σ (q_w − z)·(q_x − z_x)} as written, not through code sums.
     *
     * @param x the quantized activations
     * @param w the packed weight
     * @param bias {@code [w.rows()]} or {@code null}
     * @param y receives {@code [x.rows(), w.rows()]}
     */
    public static void matmulScalar(QuantizedTokens x, PackedInt4Matrix w, float[] bias, float[] y) {
        check(x, w, bias, y);
        scalarRows(x, w, bias, y, 0, w.rows());
    }

    private static void check(QuantizedTokens x, PackedInt4Matrix w, float[] bias, float[] y) {
        if (x.cols() != w.cols()) {
            throw new IllegalArgumentException(
                    "activation width " + x.cols() + " != weight input channels " + w.cols());
        }
        if (!w.hasIntegerZeroPoints() && (!x.symmetric() || w.groupSize() > KC)) {
            throw new IllegalArgumentException("fractional weight zero points (grids with a float minimum) need"
                    + " symmetric activation codes and groups of at most " + KC + "; asymmetric codes and longer"
                    + " groups sum integer weight zero points exactly");
        }
        MatmulShapes.check(null, x.rows(), w.cols(), w.rows(), bias, y);
    }

    private static void scalarRows(
            QuantizedTokens x, PackedInt4Matrix w, float[] bias, float[] y, int from, int to) {
        int in = w.cols();
        int out = w.rows();
        int g = w.groupSize();
        byte[] qx = x.codeArray();
        int[] row = new int[in];
        boolean integerZeros = w.hasIntegerZeroPoints();
        for (int o = from; o < to; o++) {
            for (int k = 0; k < in; k++) {
                row[k] = w.code(o, k) - (integerZeros ? (int) w.zeroPoint(o, k / g) : 0);
            }
            for (int t = 0; t < x.rows(); t++) {
                int zx = x.zeroPoint(t);
                float total = 0f;
                for (int grp = 0; grp < w.groups(); grp++) {
                    int p = 0;
                    int codeSum = 0;
                    for (int k = grp * g; k < Math.min(in, grp * g + g); k++) {
                        p += row[k] * (qx[t * in + k] - zx);
                        codeSum += qx[t * in + k] - zx;
                    }
                    // a float minimum: Σ (q_w − z)·q_x = Σ q_w·q_x − z·Σ q_x, the second term in float
                    float sum = integerZeros ? p : p - w.zeroPoint(o, grp) * codeSum;
                    total = Math.fma(sum, w.scale(o, grp), total);
                }
                float v = total * x.scale(t);
                y[t * out + o] = bias == null ? v : v + bias[o];
            }
        }
    }

    private static void gemv(
            TileKernels v, QuantizedTokens x, PackedInt4Matrix w, int[] weightSums, float[] bias, float[] y) {
        NibbleTiles nt = w.tiles();
        int rows = x.rows();
        int in = nt.cols;
        int width = nt.width;
        int g = w.groupSize();
        int groups = w.groups();
        int chunksPerGroup = (g + NibbleTiles.CHUNK - 1) / NibbleTiles.CHUNK;
        float[] scales = w.tileScales();
        // fractional zero points stay out of the integer sums; the tile kernel subtracts them in float
        boolean integerZeros = w.hasIntegerZeroPoints();
        int[] zeros = integerZeros && !w.symmetric() ? w.tileIntegerZeros() : null;
        float[] scaledZeros = integerZeros ? null : w.tileScaledZeros();
        int stride = Int4GemvInputs.pairStride(in);
        int sumsOff = rows * stride;
        int[] prep = TileWorkspace.current().callInts(sumsOff + 2 * rows * groups);
        Int4GemvInputs.codePairs(x.codeArray(), rows, in, prep);
        Int4GemvInputs.codeGroupSums(x.codeArray(), rows, in, g, groups, w.symmetric(), prep, sumsOff);
        KernelThreads.parallelFor(
                nt.tiles,
                1,
                (from, to) -> {
                    TileWorkspace ws = TileWorkspace.current();
                    float[] acc = ws.acc(rows * width);
                    int[] sums = ws.ints(width);
                    for (int tile = from; tile < to; tile++) {
                        v.int4CodeTile(
                                nt.words,
                                nt.wordIndex(tile, 0),
                                nt.chunks,
                                chunksPerGroup,
                                prep,
                                stride,
                                sumsOff,
                                rows,
                                scales,
                                zeros,
                                scaledZeros,
                                w.tileGroupIndex(tile, 0),
                                weightSums,
                                x.zeroArray(),
                                sums,
                                acc);
                        MatmulShapes.writeTile(acc, rows, width, tile, nt.rows, x.scaleArray(), bias, y);
                    }
                });
    }

    private static void gemm(
            TileKernels v, QuantizedTokens x, PackedInt4Matrix w, int[] weightSums, float[] bias, float[] y) {
        NibbleTiles nt = w.tiles();
        int rows = x.rows();
        int in = nt.cols;
        int width = nt.width;
        int g = w.groupSize();
        int groups = w.groups();
        boolean signed = w.symmetric();
        float[] scales = w.tileScales();
        float[] zeros = w.tileZeros();
        int[] tokenZeros = x.zeroArray();
        int mr = v.tokenBlock();
        float[] a = TokenPanels.forKernel(v, x.valueArray(), rows, in);
        // Whole groups per decoded block when groups are short; otherwise blocks of KC inside a group.
        int block = g <= KC ? KC / g * g : KC;
        KernelThreads.parallelFor(
                nt.tiles,
                1,
                (from, to) -> {
                    TileWorkspace ws = TileWorkspace.current();
                    float[] tileBuf = ws.tile(block * width);
                    float[] part = ws.part(Math.max(mr, rows) * width);
                    float[] acc = ws.acc(rows * width);
                    int[] exact = ws.ints(rows * width);
                    for (int tile = from; tile < to; tile++) {
                        Arrays.fill(acc, 0, rows * width, 0f);
                        if (g <= KC) {
                            for (int k0 = 0; k0 < in; k0 += block) {
                                int kEnd = Math.min(in, k0 + block);
                                for (int k = k0; k < kEnd; k += g) {
                                    v.decodeInt4(
                                            nt.words,
                                            nt.wordIndex(tile, k / NibbleTiles.CHUNK),
                                            Math.min(g, kEnd - k),
                                            signed,
                                            zeros,
                                            null,
                                            w.tileGroupIndex(tile, k / g),
                                            tileBuf,
                                            (k - k0) * width);
                                }
                                for (int t0 = 0; t0 < rows; t0 += mr) {
                                    int m = Math.min(mr, rows - t0);
                                    for (int k = k0; k < kEnd; k += g) {
                                        int p = w.tileGroupIndex(tile, k / g);
                                        v.multiplyPacked(
                                                a, rows, in, t0, k, Math.min(g, kEnd - k), tileBuf,
                                                (k - k0) * width, part);
                                        if (tokenZeros != null) {
                                            v.subtractZeroSums(part, m, tokenZeros, t0, weightSums, p);
                                        }
                                        v.fmaInto(part, m, scales, p, acc, t0 * width);
                                    }
                                }
                            }
                        } else {
                            for (int grp = 0; grp < groups; grp++) {
                                Arrays.fill(exact, 0, rows * width, 0);
                                int gEnd = Math.min(in, grp * g + g);
                                for (int k0 = grp * g; k0 < gEnd; k0 += KC) {
                                    int kLen = Math.min(KC, gEnd - k0);
                                    v.decodeInt4(
                                            nt.words,
                                            nt.wordIndex(tile, k0 / NibbleTiles.CHUNK),
                                            kLen,
                                            signed,
                                            zeros,
                                            null,
                                            w.tileGroupIndex(tile, grp),
                                            tileBuf,
                                            0);
                                    for (int t0 = 0; t0 < rows; t0 += mr) {
                                        int m = Math.min(mr, rows - t0);
                                        v.multiplyPacked(a, rows, in, t0, k0, kLen, tileBuf, 0, part);
                                        for (int i = 0; i < m * width; i++) {
                                            exact[t0 * width + i] += (int) part[i];
                                        }
                                    }
                                }
                                int p = w.tileGroupIndex(tile, grp);
                                for (int i = 0; i < rows * width; i++) {
                                    part[i] = tokenZeros == null
                                            ? exact[i]
                                            : exact[i] - tokenZeros[i / width] * weightSums[p + i % width];
                                }
                                v.fmaInto(part, rows, scales, p, acc, 0);
                            }
                        }
                        MatmulShapes.writeTile(acc, rows, width, tile, nt.rows, x.scaleArray(), bias, y);
                    }
                });
    }
}
