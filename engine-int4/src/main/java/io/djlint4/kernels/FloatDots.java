package io.djlint4.kernels;

/**
 * Dot products of float rows for callers outside the kernels (attention scores), on the Vector
 * API when it is available. Each product is summed in a fixed order, so {@link #dot4} gives
 * exactly what four {@link #dot} calls give, whatever rows happen to be grouped.
 */
public final class FloatDots {

    private static final FloatDot DOT = VectorSupport.isAvailable() ? VectorKernels.floatDot() : new ScalarFloatDot();

    private FloatDots() {}

    /**
     * Returns {@code Σ a[aOff + i]·b[bOff + i]} for {@code i < n}.
     *
     * @param a the first array
     * @param aOff offset into {@code a}
     * @param b the second array
     * @param bOff offset into {@code b}
     * @param n the length
     * @return the dot product
     */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        return DOT.dot(a, aOff, b, bOff, n);
    }

    /**
     * Computes the dot products of one row of {@code a} with four rows of {@code b} that are
     * {@code bStride} apart, sharing the loads of {@code a}.
     *
     * @param a the shared row's array
     * @param aOff offset of the shared row
     * @param b the array of the four rows
     * @param bOff offset of the first of the four rows
     * @param bStride distance between consecutive rows of {@code b}
     * @param n the length
     * @param out receives the four results at {@code out[outOff..outOff+3]}
     * @param outOff where to write
     */
    public static void dot4(float[] a, int aOff, float[] b, int bOff, int bStride, int n, float[] out, int outOff) {
        DOT.dot4(a, aOff, b, bOff, bStride, n, out, outOff);
    }
}
