package io.djlint4.quant.rotation;

import io.djlint4.model.RowTransform;

/**
 * The normalized Hadamard transform {@code x ↦ Ĥ_n·x}, {@code Ĥ_n = (H_K ⊗ S_m)/√n}, as a
 * {@link Rotation} for offline fusion in float64: the same matrix the kernels' {@link
 * io.djlint4.kernels.HadamardTransform} applies online, so weights folded with it agree with the
 * run-time transform. When no Hadamard construction fits {@code n}, a seeded random orthogonal
 * K×K matrix (K the odd part of n) takes the place of {@code H_K/√K}: still orthogonal, only less
 * even in its mixing (§3.5 of ALGORITHMS.md).
 *
 * <p>As a {@link Rotation} it is {@code x ↦ x·Ĥᵀ}, the same map on row vectors.
 */
public final class HadamardTransform implements Rotation {

    private final int n;
    private final int k;
    private final int m;
    /** The K×K factor, already divided by √K; {@code null} when K = 1. */
    private final double[] factor;
    private final boolean hadamardFactor;

    private HadamardTransform(int n, int k, double[] factor, boolean hadamardFactor) {
        this.n = n;
        this.k = k;
        this.m = n / k;
        this.factor = factor;
        this.hadamardFactor = hadamardFactor;
    }

    /**
     * Creates the transform of order {@code n}.
     *
     * @param n the order
     * @param fallbackSeed the seed of the random orthogonal factor used when no Hadamard
     *     construction fits {@code n}
     * @return the transform
     */
    public static HadamardTransform of(int n, long fallbackSeed) {
        if (n < 1) {
            throw new IllegalArgumentException("order must be positive, got " + n);
        }
        int k;
        try {
            k = io.djlint4.kernels.HadamardTransform.chooseK(n);
        } catch (IllegalArgumentException e) {
            k = n / Integer.lowestOneBit(n);
            return new HadamardTransform(n, k, Orthonormalization.random(k, fallbackSeed), false);
        }
        if (k == 1) {
            return new HadamardTransform(n, 1, null, true);
        }
        byte[] h = io.djlint4.kernels.HadamardMatrices.build(k);
        double[] f = new double[k * k];
        double s = 1 / Math.sqrt(k);
        for (int i = 0; i < f.length; i++) {
            f[i] = h[i] * s;
        }
        return new HadamardTransform(n, k, f, true);
    }

    /**
     * Returns whether the transform is a true Hadamard matrix (not the random-factor fallback).
     *
     * @return {@code true} when a Hadamard construction of the needed order exists
     */
    public boolean isHadamard() {
        return hadamardFactor;
    }

    /**
     * Returns the order of the non-power-of-two factor.
     *
     * @return K
     */
    public int factorOrder() {
        return k;
    }

    @Override
    public int size() {
        return n;
    }

    /**
     * Applies {@code Ĥ_n} to a vector in place, in float64.
     *
     * @param x the array
     * @param off offset of the vector
     */
    @Override
    public void rotate(double[] x, int off) {
        for (int a = 0; a < k; a++) {
            fwht(x, off + a * m, m);
        }
        double scale = 1 / Math.sqrt(m);
        if (factor == null) {
            for (int i = 0; i < n; i++) {
                x[off + i] *= scale;
            }
            return;
        }
        double[] out = new double[n];
        for (int a = 0; a < k; a++) {
            for (int c = 0; c < k; c++) {
                double f = factor[a * k + c] * scale;
                int src = off + c * m;
                int dst = a * m;
                for (int b = 0; b < m; b++) {
                    out[dst + b] += f * x[src + b];
                }
            }
        }
        System.arraycopy(out, 0, x, off, n);
    }

    /** Uses the vectorized kernel when the factor is a true Hadamard matrix. */
    @Override
    public RowTransform online() {
        if (!hadamardFactor) {
            return Rotation.super.online();
        }
        io.djlint4.kernels.HadamardTransform kernel = io.djlint4.kernels.HadamardTransform.forSize(n);
        return (x, rows, out) -> {
            System.arraycopy(x, 0, out, 0, rows * n);
            kernel.applyRows(out, rows);
        };
    }

    private static void fwht(double[] v, int off, int len) {
        for (int h = 1; h < len; h <<= 1) {
            for (int i = 0; i < len; i += h << 1) {
                for (int j = off + i; j < off + i + h; j++) {
                    double u = v[j];
                    double w = v[j + h];
                    v[j] = u + w;
                    v[j + h] = u - w;
                }
            }
        }
    }
}
