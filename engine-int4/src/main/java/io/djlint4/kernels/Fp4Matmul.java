package io.djlint4.kernels;

import java.util.Arrays;

/**
 * Products with FP4 weights ({@link PackedFp4Matrix}): FP4 × FP32 activations and FP4 × FP4
 * activations ({@link Fp4Tokens}). Both use the integer view of §5.2: a weight is {@code
 * k_w·2^(−k_j)·unit_o}, an FP4 activation {@code k_x·unit_x}, with small integers {@code k}; the
 * kernel multiplies {@code a·(k_w·2^(−k_j))} (exact factors) on the FMA units and applies {@code
 * unit_o} (and {@code unit_x}) once per output: {@code y = (Σ_j a_j·k_w·2^(−k_j))·unit_o (·unit_x)
 * + b}.
 *
 * <p>Codes are decoded arithmetically from their sign, exponent and mantissa fields rather than
 * through a lookup table: a 16-entry float table needs a two-register permute per vector on AVX2,
 * while the field decode is a handful of shifts and one blend.
 */
public final class Fp4Matmul {

    private static final int KC = 256;
    private static final int GEMM_MIN_ROWS = 3;

    private static final TileKernels VECTOR_OR_NULL =
            VectorSupport.isAvailable() ? VectorKernels.tileKernels() : null;

    private Fp4Matmul() {}

    /**
     * Computes {@code y = x · Ŵᵀ (+ b)} with float activations (already pre-shifted by {@code
     * 2^(k_j)} when the weight carries channel shifts).
     *
     * @param x activations {@code [rows, w.cols()]}
     * @param rows tokens
     * @param w the FP4 weight
     * @param bias {@code [w.rows()]} or {@code null}
     * @param y receives {@code [rows, w.rows()]}
     */
    public static void matmul(float[] x, int rows, PackedFp4Matrix w, float[] bias, float[] y) {
        MatmulShapes.check(x, rows, w.cols(), w.rows(), bias, y);
        run(x, RowGroups.single(rows), 1f, w, bias, y, false);
    }

    /**
     * The scalar reference of {@link #matmul(float[], int, PackedFp4Matrix, float[], float[])}.
     *
     * @param x activations {@code [rows, w.cols()]}
     * @param rows tokens
     * @param w the FP4 weight
     * @param bias {@code [w.rows()]} or {@code null}
     * @param y receives {@code [rows, w.rows()]}
     */
    public static void matmulScalar(float[] x, int rows, PackedFp4Matrix w, float[] bias, float[] y) {
        MatmulShapes.check(x, rows, w.cols(), w.rows(), bias, y);
        run(x, RowGroups.single(rows), 1f, w, bias, y, true);
    }

    /**
     * Computes {@code y = x̂ · Ŵᵀ (+ b)} with FP4 activations quantized with the same channel shifts
     * the weight carries.
     *
     * @param x the FP4 activations ({@code x.cols() == w.cols()})
     * @param w the FP4 weight
     * @param bias {@code [w.rows()]} or {@code null}
     * @param y receives {@code [x.rows(), w.rows()]}
     */
    public static void matmul(Fp4Tokens x, PackedFp4Matrix w, float[] bias, float[] y) {
        matmul(x, RowGroups.single(x.rows()), w, bias, y);
    }

    /**
     * Computes {@code y = x̂ · Ŵᵀ (+ b)} for FP4 activations of several sequences: the rows of each
     * group take the kernel they take alone (GEMV under {@value #GEMM_MIN_ROWS} rows, else GEMM,
     * which sum in different orders once a row spans several blocks of {@value #KC} channels).
     *
     * @param x the FP4 activations ({@code x.cols() == w.cols()})
     * @param groups the rows of {@code x}, by sequence
     * @param w the FP4 weight
     * @param bias {@code [w.rows()]} or {@code null}
     * @param y receives {@code [x.rows(), w.rows()]}
     */
    public static void matmul(Fp4Tokens x, RowGroups groups, PackedFp4Matrix w, float[] bias, float[] y) {
        check(x, w, bias, y);
        if (groups.rows() != x.rows()) {
            throw new IllegalArgumentException(groups.rows() + " grouped rows for " + x.rows() + " activation rows");
        }
        run(x.valueArray(), groups, x.unit(), w, bias, y, false);
    }

    /**
     * The scalar reference of {@link #matmul(Fp4Tokens, PackedFp4Matrix, float[], float[])}.
     *
     * @param x the FP4 activations
     * @param w the FP4 weight
     * @param bias {@code [w.rows()]} or {@code null}
     * @param y receives {@code [x.rows(), w.rows()]}
     */
    public static void matmulScalar(Fp4Tokens x, PackedFp4Matrix w, float[] bias, float[] y) {
        check(x, w, bias, y);
        run(x.valueArray(), RowGroups.single(x.rows()), x.unit(), w, bias, y, true);
    }

    private static void check(Fp4Tokens x, PackedFp4Matrix w, float[] bias, float[] y) {
        if (x.cols() != w.cols()) {
            throw new IllegalArgumentException(
                    "activation width " + x.cols() + " != weight input channels " + w.cols());
        }
        MatmulShapes.check(null, x.rows(), w.cols(), w.rows(), bias, y);
    }

    private static void run(
            float[] a, RowGroups groups, float unitX, PackedFp4Matrix w, float[] bias, float[] y, boolean scalar) {
        TileKernels v = VECTOR_OR_NULL;
        int rows = groups.rows();
        if (scalar) {
            scalarRows(a, rows, unitX, w, bias, y, 0, w.rows());
        } else if (v == null || w.tileWidth() != v.tileWidth()) {
            KernelThreads.parallelFor(
                    w.rows(), 16, (from, to) -> scalarRows(a, rows, unitX, w, bias, y, from, to));
        } else {
            GroupSizeDispatch.run(
                    a,
                    w.cols(),
                    groups,
                    w.rows(),
                    y,
                    GEMM_MIN_ROWS,
                    (x, n, out) -> gemv(v, x, n, unitX, w, bias, out),
                    (x, n, out) -> gemm(v, x, n, unitX, w, bias, out));
        }
    }

    private static void scalarRows(
            float[] a, int rows, float unitX, PackedFp4Matrix w, float[] bias, float[] y, int from, int to) {
        int in = w.cols();
        int out = w.rows();
        Fp4Format f = w.format();
        float[] factors = w.channelFactors();
        float[] row = new float[in];
        for (int o = from; o < to; o++) {
            for (int j = 0; j < in; j++) {
                row[j] = f.integerValue(w.code(o, j)) * factors[j];
            }
            for (int t = 0; t < rows; t++) {
                float s = 0f;
                for (int j = 0; j < in; j++) {
                    s += a[t * in + j] * row[j];
                }
                float v = s * w.rowUnit(o) * unitX;
                y[t * out + o] = bias == null ? v : v + bias[o];
            }
        }
    }

    private static void gemv(
            TileKernels v, float[] a, int rows, float unitX, PackedFp4Matrix w, float[] bias, float[] y) {
        NibbleTiles nt = w.tiles();
        int in = nt.cols;
        int width = nt.width;
        float[] factors = w.channelFactors();
        float[] shifted = TileWorkspace.current().call(rows * in);
        for (int t = 0; t < rows; t++) {
            for (int j = 0; j < in; j++) {
                shifted[t * in + j] = a[t * in + j] * factors[j];
            }
        }
        KernelThreads.parallelFor(
                nt.tiles,
                1,
                (from, to) -> {
                    TileWorkspace ws = TileWorkspace.current();
                    float[] acc = ws.acc(rows * width);
                    float[] part = ws.part(width);
                    for (int tile = from; tile < to; tile++) {
                        for (int t = 0; t < rows; t++) {
                            v.dotFp4(nt.words, nt.wordIndex(tile, 0), in, w.format(), shifted, t * in, part);
                            System.arraycopy(part, 0, acc, t * width, width);
                        }
                        finish(acc, rows, unitX, w, tile, bias, y);
                    }
                });
    }

    private static void gemm(
            TileKernels v, float[] a, int rows, float unitX, PackedFp4Matrix w, float[] bias, float[] y) {
        NibbleTiles nt = w.tiles();
        int in = nt.cols;
        int width = nt.width;
        int mr = v.tokenBlock();
        float[] packed = TokenPanels.forKernel(v, a, rows, in);
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
                            int kLen = Math.min(KC, in - k0);
                            v.decodeFp4(
                                    nt.words,
                                    nt.wordIndex(tile, k0 / NibbleTiles.CHUNK),
                                    kLen,
                                    w.format(),
                                    w.channelFactors(),
                                    k0,
                                    tileBuf);
                            for (int t0 = 0; t0 < rows; t0 += mr) {
                                int m = Math.min(mr, rows - t0);
                                v.multiplyPacked(packed, rows, in, t0, k0, kLen, tileBuf, 0, part);
                                v.addInto(part, acc, t0 * width, m * width);
                            }
                        }
                        finish(acc, rows, unitX, w, tile, bias, y);
                    }
                });
    }

    /** {@code y = (acc·unit_o)·unit_x + b} for the valid rows of one tile. */
    private static void finish(
            float[] acc, int rows, float unitX, PackedFp4Matrix w, int tile, float[] bias, float[] y) {
        int width = w.tileWidth();
        int o0 = tile * width;
        int lanes = Math.min(width, w.rows() - o0);
        float[] units = w.tileUnits();
        for (int t = 0; t < rows; t++) {
            for (int l = 0; l < lanes; l++) {
                float v = acc[t * width + l] * units[o0 + l] * unitX;
                y[t * w.rows() + o0 + l] = bias == null ? v : v + bias[o0 + l];
            }
        }
    }
}
