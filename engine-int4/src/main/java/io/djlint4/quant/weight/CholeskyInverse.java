package io.djlint4.quant.weight;

/** Cholesky factorization and the inverse of symmetric positive-definite matrices, in double. */
final class CholeskyInverse {

    private CholeskyInverse() {}

    /**
     * Returns the lower factor {@code L} with {@code A = LLᵀ}, or {@code null} if {@code A} is not
     * positive definite.
     */
    static double[] lowerFactor(double[] a, int n) {
        double[] l = new double[n * n];
        for (int j = 0; j < n; j++) {
            double s = a[j * n + j];
            for (int k = 0; k < j; k++) {
                s -= l[j * n + k] * l[j * n + k];
            }
            if (!(s > 0)) {
                return null;
            }
            double d = Math.sqrt(s);
            l[j * n + j] = d;
            for (int i = j + 1; i < n; i++) {
                double t = a[i * n + j];
                for (int k = 0; k < j; k++) {
                    t -= l[i * n + k] * l[j * n + k];
                }
                l[i * n + j] = t / d;
            }
        }
        return l;
    }

    /**
     * Returns {@code A⁻¹} of a symmetric positive-definite {@code A}, or {@code null} if it is not
     * positive definite.
     */
    static double[] invert(double[] a, int n) {
        double[] l = lowerFactor(a, n);
        if (l == null) {
            return null;
        }
        // T = (L⁻¹)ᵀ by forward substitution, then A⁻¹ = T·Tᵀ. Keeping the transpose makes every
        // inner loop run along rows, which matters once the matrix outgrows the cache.
        double[] t = new double[n * n];
        for (int i = 0; i < n; i++) {
            double d = l[i * n + i];
            t[i * n + i] = 1 / d;
            for (int j = 0; j < i; j++) {
                double s = 0;
                for (int k = j; k < i; k++) {
                    s += l[i * n + k] * t[j * n + k];
                }
                t[j * n + i] = -s / d;
            }
        }
        double[] inv = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int k = i; k < n; k++) {
                    s += t[i * n + k] * t[j * n + k];
                }
                inv[i * n + j] = s;
                inv[j * n + i] = s;
            }
        }
        return inv;
    }

    /** Returns {@code U} upper triangular with {@code A = UᵀU}, or {@code null}. */
    static double[] upperFactor(double[] a, int n) {
        double[] l = lowerFactor(a, n);
        if (l == null) {
            return null;
        }
        double[] u = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                u[j * n + i] = l[i * n + j];
            }
        }
        return u;
    }
}
