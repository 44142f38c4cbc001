package io.djlint4.quant.weight;

import io.djlint4.kernels.KernelThreads;

/**
 * The factor GPTQ's error feedback runs on: the upper-triangular {@code U} with {@code A⁻¹ = UᵀU}
 * of a symmetric positive-definite {@code A}, in double.
 *
 * <p>It is found without forming {@code A⁻¹}: factor {@code A = RRᵀ} with {@code R} upper
 * triangular (Cholesky run from the last row up), then {@code A⁻¹ = R⁻ᵀR⁻¹}, so {@code U = R⁻¹},
 * whose diagonal {@code 1/Rᵢᵢ} is positive as a Cholesky factor's must be. That is two triangular
 * passes of {@code n³/6} multiply-adds each, where inverting {@code A} and factoring the inverse
 * takes four. Both passes split rows over the kernel threads; every entry is one dot product in a
 * fixed order, so the result does not depend on the number of threads.
 */
final class CholeskyInverse {

    /** Rows per thread's share at the least. */
    private static final int ROW_GRAIN = 32;

    /** Columns factored together. */
    private static final int BLOCK = 64;

    private CholeskyInverse() {}

    /**
     * Returns {@code U}, upper triangular with a positive diagonal and {@code A⁻¹ = UᵀU}, row-major,
     * or {@code null} if {@code A} is not positive definite.
     *
     * @param a the symmetric matrix, row-major {@code [n, n]} (not modified)
     * @param n its order
     * @return {@code U}, or {@code null}
     */
    static double[] upperFactorOfInverse(double[] a, int n) {
        double[] r = upperTimesTranspose(a, n);
        return r == null ? null : invertUpper(r, n);
    }

    /**
     * Factors {@code A = RRᵀ} with {@code R} upper triangular, from the last column to the first:
     * {@code R[i][j] = (A[i][j] − Σ_{k>j} R[i][k]·R[j][k]) / R[j][j]}, each a dot product along two
     * rows. Columns go in blocks of {@value #BLOCK} so the threads share a few large loops per
     * block rather than one small loop per column: first every row takes off the columns right of
     * the block, then the block's own rows are factored, then the rows above it.
     */
    private static double[] upperTimesTranspose(double[] a, int n) {
        double[] r = new double[n * n];
        for (int j1 = n; j1 > 0; j1 -= BLOCK) {
            int b1 = j1;
            int b0 = Math.max(0, j1 - BLOCK);
            KernelThreads.parallelFor(b1, ROW_GRAIN, (from, to) -> {
                for (int i = from; i < to; i++) {
                    for (int j = Math.max(i, b0); j < b1; j++) {
                        r[i * n + j] = a[i * n + j] - dot(r, i * n + b1, r, j * n + b1, n - b1);
                    }
                }
            });
            for (int j = b1 - 1; j >= b0; j--) {
                int jj = j * n + j;
                double s = r[jj] - dot(r, jj + 1, r, jj + 1, b1 - 1 - j);
                if (!(s > 0)) {
                    return null;
                }
                r[jj] = Math.sqrt(s);
                for (int i = b0; i < j; i++) {
                    finishEntry(r, n, i, j, b1);
                }
            }
            KernelThreads.parallelFor(b0, ROW_GRAIN, (from, to) -> {
                for (int i = from; i < to; i++) {
                    for (int j = b1 - 1; j >= b0; j--) {
                        finishEntry(r, n, i, j, b1);
                    }
                }
            });
        }
        return r;
    }

    /** Takes the block's columns right of {@code j} off {@code R[i][j]} and divides by {@code R[j][j]}. */
    private static void finishEntry(double[] r, int n, int i, int j, int blockEnd) {
        int ij = i * n + j;
        r[ij] = (r[ij] - dot(r, ij + 1, r, j * n + j + 1, blockEnd - 1 - j)) / r[j * n + j];
    }

    /**
     * Inverts an upper-triangular {@code R}: row {@code i} of {@code U = R⁻¹} follows from {@code
     * UR = I} alone, {@code U[i][j] = −(Σ_{i≤k<j} U[i][k]·R[k][j]) / R[j][j]}, so rows are
     * independent; {@code R} is read transposed to make each sum run along rows.
     */
    private static double[] invertUpper(double[] r, int n) {
        double[] rt = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                rt[j * n + i] = r[i * n + j];
            }
        }
        double[] u = new double[n * n];
        // Row i costs (n−i)²/2: pairing i with n−1−i evens out the shares.
        KernelThreads.parallelFor((n + 1) / 2, ROW_GRAIN / 2, (from, to) -> {
            for (int p = from; p < to; p++) {
                invertRow(rt, u, p, n);
                if (n - 1 - p != p) {
                    invertRow(rt, u, n - 1 - p, n);
                }
            }
        });
        return u;
    }

    private static void invertRow(double[] rt, double[] u, int i, int n) {
        int row = i * n;
        u[row + i] = 1 / rt[i * n + i];
        for (int j = i + 1; j < n; j++) {
            u[row + j] = -dot(u, row + i, rt, j * n + i, j - i) / rt[j * n + j];
        }
    }

    /** {@code Σ a[aOff+k]·b[bOff+k]} over four fixed partial sums: faster than one chain, same bits every time. */
    private static double dot(double[] a, int aOff, double[] b, int bOff, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int k = 0;
        for (; k + 4 <= len; k += 4) {
            s0 += a[aOff + k] * b[bOff + k];
            s1 += a[aOff + k + 1] * b[bOff + k + 1];
            s2 += a[aOff + k + 2] * b[bOff + k + 2];
            s3 += a[aOff + k + 3] * b[bOff + k + 3];
        }
        for (; k < len; k++) {
            s0 += a[aOff + k] * b[bOff + k];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
