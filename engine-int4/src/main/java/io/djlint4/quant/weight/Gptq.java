package io.djlint4.quant.weight;

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
     * Quantizes a matrix.
     *
     * @param weights the weights, row-major {@code [rows, cols]} (not modified)
     * @param rows the number of output channels
     * @param cols the number of input channels
     * @param hessian the Hessian proxy {@code [cols, cols]} (not modified)
     * @return the codes and grids
     */
    public QuantizedWeights quantize(float[] weights, int rows, int cols, double[] hessian) {
        if (hessian.length != (long) cols * cols) {
            throw new IllegalArgumentException(
                    "Hessian has " + hessian.length + " entries, expected " + cols + "x" + cols);
        }
        double[] h = hessian.clone();
        // Columns as contiguous arrays: every update touches whole columns.
        double[][] w = new double[cols][rows];
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
        int g = groupSize == 0 ? cols : groupSize;
        int groups = (cols + g - 1) / g;
        float[] scales = new float[rows * groups];
        int[] zeros = new int[rows * groups];
        boolean staticGroups = groupSize == 0 || actOrder;
        if (staticGroups) {
            for (int gi = 0; gi < groups; gi++) {
                fitGroup(w, gi * g, Math.min(g, cols - gi * g), rows, groups, gi, scales, zeros);
            }
        }
        int[] perm = IntStream.range(0, cols).toArray();
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
        byte[] codes = new byte[rows * cols];
        double[] err = new double[rows];
        for (int b0 = 0; b0 < cols; b0 += BLOCK) {
            int b1 = Math.min(b0 + BLOCK, cols);
            double[][] e = new double[b1 - b0][];
            for (int i = b0; i < b1; i++) {
                int orig = perm[i];
                int gi = orig / g;
                if (!staticGroups && orig % g == 0) {
                    fitGroup(w, i, Math.min(g, cols - i), rows, groups, gi, scales, zeros);
                }
                double d = u[i * cols + i];
                double[] col = w[i];
                for (int r = 0; r < rows; r++) {
                    QuantParams p = new QuantParams(scales[r * groups + gi], zeros[r * groups + gi]);
                    int code = quantizer.quantize((float) col[r], p);
                    codes[r * cols + orig] = (byte) code;
                    err[r] = (col[r] - quantizer.dequantize(code, p)) / d;
                }
                for (int j = i + 1; j < b1; j++) {
                    axpy(-u[i * cols + j], err, w[j]);
                }
                e[i - b0] = err.clone();
            }
            for (int j = b1; j < cols; j++) {
                for (int i = b0; i < b1; i++) {
                    axpy(-u[i * cols + j], e[i - b0], w[j]);
                }
            }
        }
        return new QuantizedWeights(rows, cols, g, codes, scales, zeros, quantizer);
    }

    private void fitGroup(
            double[][] w, int c0, int n, int rows, int groups, int gi, float[] scales, int[] zeros) {
        float[] row = new float[n];
        for (int r = 0; r < rows; r++) {
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

    private static void axpy(double a, double[] x, double[] y) {
        if (a == 0) {
            return;
        }
        for (int r = 0; r < y.length; r++) {
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
            double[] inv = CholeskyInverse.invert(a, n);
            if (inv == null) {
                continue;
            }
            double[] u = CholeskyInverse.upperFactor(inv, n);
            if (u != null) {
                return u;
            }
        }
        throw new IllegalStateException(
                "GPTQ: the Hessian is not positive definite even with dampening " + d / 10);
    }
}
