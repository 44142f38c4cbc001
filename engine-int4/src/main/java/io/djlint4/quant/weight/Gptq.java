package io.djlint4.quant.weight;

import io.djlint4.kernels.KernelThreads;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * GPTQ (§2.3 of ALGORITHMS.md): quantizes the columns of a weight matrix one at a time and spreads
 * each column's rounding error over the columns not yet quantized, weighted by the inverse Hessian
 * of the layer's calibration inputs, in blocks of 128 columns.
 */
public final class Gptq {

    private static final int BLOCK = 128;
    private static final int MAX_DAMP_RETRIES = 6;
    /** Rows per thread's share at the least: fewer are not worth a thread. */
    private static final int ROW_GRAIN = 16;

    private final UniformQuantizer quantizer;
    private final int groupSize;
    private final boolean actOrder;
    private final boolean clipSearch;
    private final double damp;

    /**
     * Creates the quantizer.
     *
     * @param quantizer the integer grid
     * @param groupSize columns per group, or 0 for one grid per row
     * @param actOrder whether to process columns by decreasing Hessian diagonal; with groups, the
     *     grids are then fitted on the original weights of each group (static groups) so that
     *     groups stay contiguous in the packed layout
     * @param clipSearch whether grids are fitted with the clipping search
     * @param damp the dampening added to the diagonal, relative to its mean (0.01 in the papers)
     */
    public Gptq(
            UniformQuantizer quantizer,
            int groupSize,
            boolean actOrder,
            boolean clipSearch,
            double damp) {
        if (groupSize < 0) {
            throw new IllegalArgumentException("group size must be >= 0, got " + groupSize);
        }
        if (!(damp > 0)) {
            throw new IllegalArgumentException("damp must be positive, got " + damp);
        }
        this.quantizer = quantizer;
        this.groupSize = groupSize;
        this.actOrder = actOrder;
        this.clipSearch = clipSearch;
        this.damp = damp;
    }

    /**
     * Quantizes a matrix with per-OC groups.
     *
     * @param weights the weights, row-major {@code [rows, cols]} (not modified)
     * @param rows the number of output channels
     * @param cols the number of input channels
     * @param hessian the Hessian proxy {@code [cols, cols]} (not modified)
     * @return the codes and grids
     */
    public QuantizedWeights quantize(float[] weights, int rows, int cols, double[] hessian) {
        Problem pb = new Problem(weights, rows, cols, hessian);
        int g = groupSize == 0 ? cols : groupSize;
        int groups = (cols + g - 1) / g;
        float[] scales = new float[rows * groups];
        int[] zeros = new int[rows * groups];
        boolean staticGroups = groupSize == 0 || actOrder;
        if (staticGroups) {
            KernelThreads.parallelFor(rows, ROW_GRAIN, (r0, r1) -> {
                for (int gi = 0; gi < groups; gi++) {
                    fitGroup(pb.w, gi * g, Math.min(g, cols - gi * g), r0, r1, groups, gi, scales, zeros);
                }
            });
        }
        pb.run(1, (i, orig, w, r0, r1, code, deq) -> {
            int gi = orig / g;
            if (!staticGroups && orig % g == 0) {
                fitGroup(w, i, Math.min(g, cols - i), r0, r1, groups, gi, scales, zeros);
            }
            double[] col = w[i];
            for (int r = r0; r < r1; r++) {
                QuantParams p = new QuantParams(scales[r * groups + gi], zeros[r * groups + gi]);
                code[r] = (byte) quantizer.quantize((float) col[r], p);
                deq[r] = quantizer.dequantize(code[r], p);
            }
        });
        return new QuantizedWeights(rows, cols, g, pb.codes, scales, zeros, quantizer);
    }

    /**
     * Quantizes a matrix onto grids fixed beforehand, as GPTQ's static groups: the grids of {@code
     * grids} (a {@link DoubleQuantizer} run on the same weights) stay, and the error feedback
     * chooses the codes, visiting columns in this quantizer's order.
     *
     * @param weights the weights, row-major {@code [rows, cols]} (not modified)
     * @param rows the number of output channels
     * @param cols the number of input channels
     * @param hessian the Hessian proxy {@code [cols, cols]} (not modified)
     * @param grids the grids, of the same shape
     * @return the codes on those grids
     */
    public DoubleQuantizedWeights quantize(
            float[] weights, int rows, int cols, double[] hessian, DoubleQuantizedWeights grids) {
        if (grids.rows() != rows || grids.cols() != cols) {
            throw new IllegalArgumentException("grids of [" + grids.rows() + ", " + grids.cols() + "] for weights of ["
                    + rows + ", " + cols + "]");
        }
        Problem pb = new Problem(weights, rows, cols, hessian);
        int g = grids.groupSize();
        int groups = grids.groups();
        int maxCode = (1 << grids.bits()) - 1;
        float[] scales = grids.scales();
        float[] zeros = grids.zeroPoints();
        pb.run(1, (i, orig, w, r0, r1, code, deq) -> {
            int gi = orig / g;
            double[] col = w[i];
            for (int r = r0; r < r1; r++) {
                float s = scales[r * groups + gi];
                float z = zeros[r * groups + gi];
                int q = (int) Math.max(0, Math.min(maxCode, Math.rint((float) col[r] / s + z)));
                code[r] = (byte) q;
                deq[r] = (q - z) * s;
            }
        });
        return new DoubleQuantizedWeights(rows, cols, g, grids.bits(), pb.codes, grids.stepCodes(), grids.minCodes(),
                grids.stepMax(), grids.minMax());
    }

    /**
     * Quantizes a matrix with per-IC groups (GPTQ-ada, §6.4 of ALGORITHMS.md): when GPTQ reaches a
     * column, the column as updated by the error feedback so far is split into groups of {@code
     * groupSize} consecutive rows, each fitted on its own values. Every column's grids depend only
     * on that column, so no static groups are needed with act-order.
     *
     * @param weights the weights, row-major {@code [rows, cols]} (not modified)
     * @param rows the number of output channels
     * @param cols the number of input channels
     * @param hessian the Hessian proxy {@code [cols, cols]} (not modified)
     * @return the codes and grids
     * @throws IllegalArgumentException when the groups do not tile the rows (see {@link
     *     PerIcQuantizedWeights#groupRows})
     */
    public PerIcQuantizedWeights quantizePerInputChannel(
            float[] weights, int rows, int cols, double[] hessian) {
        int g = PerIcQuantizedWeights.groupRows(groupSize, rows);
        if (g == 0) {
            throw new IllegalArgumentException(
                    "per-IC groups of " + groupSize + " rows do not tile " + rows + " rows");
        }
        Problem pb = new Problem(weights, rows, cols, hessian);
        float[] scales = new float[rows / g * cols];
        int[] zeros = new int[scales.length];
        pb.run(g, (i, orig, w, from, to, code, deq) -> {
            double[] col = w[i];
            float[] group = new float[g];
            for (int r0 = from; r0 < to; r0 += g) {
                for (int r = 0; r < g; r++) {
                    group[r] = (float) col[r0 + r];
                }
                QuantParams p =
                        clipSearch
                                ? ClipSearch.search(quantizer, group, 0, 1, g).params()
                                : quantizer.fit(group, 0, 1, g, 1f);
                scales[r0 / g * cols + orig] = p.scale();
                zeros[r0 / g * cols + orig] = p.zero();
                for (int r = r0; r < r0 + g; r++) {
                    code[r] = (byte) quantizer.quantize((float) col[r], p);
                    deq[r] = quantizer.dequantize(code[r], p);
                }
            }
        });
        return new PerIcQuantizedWeights(rows, cols, g, pb.codes, scales, zeros, quantizer);
    }

    /**
     * Quantizes a matrix in the given layout.
     *
     * @param weights the weights, row-major {@code [rows, cols]} (not modified)
     * @param rows the number of output channels
     * @param cols the number of input channels
     * @param hessian the Hessian proxy {@code [cols, cols]} (not modified)
     * @param layout the group layout
     * @return the codes and grids
     */
    public QuantizedMatrix quantize(
            float[] weights, int rows, int cols, double[] hessian, GroupLayout layout) {
        return layout == GroupLayout.PER_INPUT_CHANNEL
                ? quantizePerInputChannel(weights, rows, cols, hessian)
                : quantize(weights, rows, cols, hessian);
    }

    /**
     * Quantizes a matrix onto grids fixed before GPTQ runs, one per element's position (RPTQ's
     * per-row, per-input-cluster grids, static groups of variable size): only the error feedback
     * is GPTQ's; this instance's own grid and groups are not used.
     *
     * @param weights the weights, row-major {@code [rows, cols]} (not modified)
     * @param rows the number of output channels
     * @param cols the number of input channels
     * @param hessian the Hessian proxy {@code [cols, cols]} (not modified)
     * @param grid rounds each element onto its fixed grid
     * @return the codes, row-major {@code [rows, cols]}
     */
    public byte[] quantizeOnFixedGrids(float[] weights, int rows, int cols, double[] hessian, FixedGrid grid) {
        Problem pb = new Problem(weights, rows, cols, hessian);
        pb.run(1, (i, orig, w, r0, r1, code, deq) -> {
            double[] col = w[i];
            for (int r = r0; r < r1; r++) {
                code[r] = (byte) grid.quantize(r, orig, (float) col[r]);
                deq[r] = grid.dequantize(r, orig, code[r]);
            }
        });
        return pb.codes;
    }

    /** Grids fixed per weight element, for {@link #quantizeOnFixedGrids}. */
    public interface FixedGrid {

        /**
         * Rounds one element.
         *
         * @param row the output channel
         * @param col the input channel
         * @param value the element as updated by the error feedback so far
         * @return its code
         */
        int quantize(int row, int col, float value);

        /**
         * Decodes one element.
         *
         * @param row the output channel
         * @param col the input channel
         * @param code the code
         * @return the value it stands for
         */
        float dequantize(int row, int col, int code);
    }

    /**
     * Rounds rows {@code [r0, r1)} of the current column {@code i} (original index {@code orig}),
     * writing only those rows of {@code codes} and {@code dequantized}: rows are solved on
     * several threads at once.
     */
    @FunctionalInterface
    private interface ColumnRounding {
        void round(int i, int orig, double[][] w, int r0, int r1, byte[] codes, double[] dequantized);
    }

    /**
     * One GPTQ run: the weights as columns, the prepared Hessian and the column order, and the
     * error-feedback loop that visits the columns in that order.
     */
    private final class Problem {
        final int rows;
        final int cols;
        final byte[] codes;
        double[][] w;
        double[] h;
        int[] perm;

        Problem(float[] weights, int rows, int cols, double[] hessian) {
            if (hessian.length != (long) cols * cols) {
                throw new IllegalArgumentException(
                        "Hessian has " + hessian.length + " entries, expected " + cols + "x" + cols);
            }
            this.rows = rows;
            this.cols = cols;
            this.codes = new byte[rows * cols];
            this.h = hessian.clone();
            // Columns as contiguous arrays: every update touches whole columns.
            this.w = new double[cols][rows];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    w[c][r] = weights[r * cols + c];
                }
            }
            for (int c = 0; c < cols; c++) {
                if (h[c * cols + c] == 0) {
                    h[c * cols + c] = 1;
                    Arrays.fill(w[c], 0);
                }
            }
            this.perm = IntStream.range(0, cols).toArray();
        }

        /**
         * Visits the columns in order. Rows never mix in GPTQ (the error feedback moves along a
         * row), so the rows are split over the kernel threads in runs of {@code align} (a group
         * that spans rows stays on one thread); every element sees the same operations in the same
         * order whatever the split, so the result does not depend on the number of threads.
         */
        void run(int align, ColumnRounding rounding) {
            if (actOrder) {
                double[] diag = new double[cols];
                for (int c = 0; c < cols; c++) {
                    diag[c] = h[c * cols + c];
                }
                perm =
                        IntStream.range(0, cols)
                                .boxed()
                                .sorted(Comparator.comparingDouble((Integer c) -> -diag[c]))
                                .mapToInt(Integer::intValue)
                                .toArray();
                w = permuteColumns(w, perm);
                h = permuteSymmetric(h, perm, cols);
            }
            double[] u = upperCholeskyOfInverse(h, cols);
            KernelThreads.parallelFor(rows / align, Math.max(1, ROW_GRAIN / align),
                    (from, to) -> solveRows(rounding, u, from * align, to * align));
        }

        private void solveRows(ColumnRounding rounding, double[] u, int r0, int r1) {
            byte[] code = new byte[rows];
            double[] deq = new double[rows];
            double[][] e = new double[Math.min(BLOCK, cols)][rows];
            for (int b0 = 0; b0 < cols; b0 += BLOCK) {
                int b1 = Math.min(b0 + BLOCK, cols);
                for (int i = b0; i < b1; i++) {
                    int orig = perm[i];
                    rounding.round(i, orig, w, r0, r1, code, deq);
                    double d = u[i * cols + i];
                    double[] col = w[i];
                    double[] err = e[i - b0];
                    for (int r = r0; r < r1; r++) {
                        codes[r * cols + orig] = code[r];
                        err[r] = (col[r] - deq[r]) / d;
                    }
                    for (int j = i + 1; j < b1; j++) {
                        axpy(-u[i * cols + j], err, w[j], r0, r1);
                    }
                }
                for (int j = b1; j < cols; j++) {
                    for (int i = b0; i < b1; i++) {
                        axpy(-u[i * cols + j], e[i - b0], w[j], r0, r1);
                    }
                }
            }
        }
    }

    private void fitGroup(
            double[][] w, int c0, int n, int r0, int r1, int groups, int gi, float[] scales, int[] zeros) {
        float[] row = new float[n];
        for (int r = r0; r < r1; r++) {
            for (int c = 0; c < n; c++) {
                row[c] = (float) w[c0 + c][r];
            }
            QuantParams p =
                    clipSearch
                            ? ClipSearch.search(quantizer, row, 0, 1, n).params()
                            : quantizer.fit(row, 0, 1, n, 1f);
            scales[r * groups + gi] = p.scale();
            zeros[r * groups + gi] = p.zero();
        }
    }

    private static void axpy(double a, double[] x, double[] y, int r0, int r1) {
        if (a == 0) {
            return;
        }
        for (int r = r0; r < r1; r++) {
            y[r] += a * x[r];
        }
    }

    private static double[][] permuteColumns(double[][] w, int[] perm) {
        double[][] out = new double[w.length][];
        for (int i = 0; i < perm.length; i++) {
            out[i] = w[perm[i]];
        }
        return out;
    }

    private static double[] permuteSymmetric(double[] h, int[] perm, int n) {
        double[] out = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                out[i * n + j] = h[perm[i] * n + perm[j]];
            }
        }
        return out;
    }

    /**
     * Dampens the diagonal and returns the upper Cholesky factor {@code U} of {@code H⁻¹ = UᵀU}.
     * A failed factorization retries with ten times the dampening.
     */
    private double[] upperCholeskyOfInverse(double[] h, int n) {
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += h[i * n + i];
        }
        mean /= n;
        double d = damp;
        for (int attempt = 0; attempt < MAX_DAMP_RETRIES; attempt++, d *= 10) {
            double[] a = h.clone();
            for (int i = 0; i < n; i++) {
                a[i * n + i] += d * mean;
            }
            double[] u = CholeskyInverse.upperFactorOfInverse(a, n);
            if (u != null) {
                return u;
            }
        }
        throw new IllegalStateException(
                "GPTQ: the Hessian is not positive definite even with dampening " + d / 10);
    }
}
