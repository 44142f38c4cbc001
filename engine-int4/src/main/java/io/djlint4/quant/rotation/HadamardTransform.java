package io.djlint4.quant.rotation;


/**
 * The normalized Hadamard transform {@code x ↦ Ĥ_n·x} with {@code Ĥ_n = (H_K ⊗ S_m)/√n}, {@code
 * n = K·m}, m a power of two (§3.5 of ALGORITHMS.md): a fast Walsh–Hadamard transform on each of
 * the K contiguous blocks of m values, then the K×K matrix across blocks. K is the smallest
 * buildable order that leaves a power of two. When none exists, a seeded random orthogonal K×K
 * matrix takes the place of {@code H_K/√K}: still orthogonal, only less even in its mixing.
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
        for (int k : HadamardMatrix.ORDERS) {
            if (n % k == 0 && isPowerOfTwo(n / k)) {
                if (k == 1) {
                    return new HadamardTransform(n, 1, null, true);
                }
                int[] h = HadamardMatrix.of(k);
                double[] f = new double[k * k];
                double s = 1 / Math.sqrt(k);
                for (int i = 0; i < f.length; i++) {
                    f[i] = h[i] * s;
                }
                return new HadamardTransform(n, k, f, true);
            }
        }
        int k = n / Integer.lowestOneBit(n);
        return new HadamardTransform(n, k, Orthonormalization.random(k, fallbackSeed), false);
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

    private static boolean isPowerOfTwo(int v) {
        return v > 0 && (v & (v - 1)) == 0;
    }
}
