package io.djlint4.kernels;

/**
 * The fast Walsh–Hadamard transform in place, for power-of-two lengths, in Sylvester (natural)
 * order: {@code v ← S_m·v}, and the orthogonal form {@code v ← S_m·v / √m}.
 */
public final class WalshHadamard {

    private static final Butterflies SCALAR = new ScalarButterflies();
    private static final Butterflies VECTOR_OR_NULL =
            VectorSupport.isAvailable() ? VectorKernels.butterflies() : null;

    private WalshHadamard() {}

    static Butterflies butterflies() {
        return VECTOR_OR_NULL != null ? VECTOR_OR_NULL : SCALAR;
    }

    static Butterflies scalarButterflies() {
        return SCALAR;
    }

    /**
     * Applies the unnormalized transform to {@code v[off .. off+m)}.
     *
     * @param v the data
     * @param off the offset
     * @param m the length, a power of two
     */
    public static void transform(float[] v, int off, int m) {
        check(v, off, m);
        butterflies().fwht(v, off, m);
    }

    /**
     * The scalar reference of {@link #transform}.
     *
     * @param v the data
     * @param off the offset
     * @param m the length, a power of two
     */
    public static void transformScalar(float[] v, int off, int m) {
        check(v, off, m);
        SCALAR.fwht(v, off, m);
    }

    /**
     * Applies the orthogonal transform {@code S_m / √m} to {@code v[off .. off+m)}; applying it twice
     * returns the input (up to rounding).
     *
     * @param v the data
     * @param off the offset
     * @param m the length, a power of two
     */
    public static void transformNormalized(float[] v, int off, int m) {
        transform(v, off, m);
        float s = (float) (1 / Math.sqrt(m));
        for (int i = off; i < off + m; i++) {
            v[i] *= s;
        }
    }

    private static void check(float[] v, int off, int m) {
        if (m < 1 || Integer.bitCount(m) != 1) {
            throw new IllegalArgumentException("Walsh-Hadamard length must be a power of two: " + m);
        }
        if (off < 0 || off + m > v.length) {
            throw new IllegalArgumentException("range outside the array");
        }
    }
}
