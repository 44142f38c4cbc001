package io.djlint4.kernels;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The orthogonal Hadamard transform {@code Ĥ_n = (H_K ⊗ S_m) / √n} of ALGORITHMS.md §3.5 for
 * sizes {@code n = K·m} with {@code m} a power of two and {@code H_K} a stored Hadamard matrix of
 * order K (1 for powers of two): 896 = 28·32, 4864 = 76·64, 11008 = 344·32, 14336 = 28·512, …
 *
 * <p>Element {@code i = a·m + b} (a outer, b inner). Applying: Walsh–Hadamard on each of the K rows
 * of the {@code K×m} view, then the dense {@code H_K} mix across rows with {@code 1/√n} folded in.
 * Instances are immutable and shared; scratch space is per thread.
 */
public final class HadamardTransform {

    /** Orders K we can build, smallest first: the smallest valid K is the cheapest online. */
    private static final int[] ORDERS = {1, 12, 20, 28, 36, 44, 52, 60, 76, 108, 140, 148, 152, 344};

    private static final Map<Integer, HadamardTransform> CACHE = new ConcurrentHashMap<>();
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[1][0]);

    private final int n;
    private final int k;
    private final int m;
    private final float[] mix;
    private final float[] mixTransposed;

    private HadamardTransform(int n) {
        this.n = n;
        this.k = chooseK(n);
        this.m = n / k;
        float norm = (float) (1 / Math.sqrt(n));
        this.mix = new float[k * k];
        this.mixTransposed = new float[k * k];
        if (k > 1) {
            byte[] h = HadamardMatrices.build(k);
            for (int a = 0; a < k; a++) {
                for (int c = 0; c < k; c++) {
                    mix[a * k + c] = h[a * k + c] * norm;
                    mixTransposed[c * k + a] = h[a * k + c] * norm;
                }
            }
        }
    }

    /**
     * Returns the transform of size {@code n}.
     *
     * @param n the vector length
     * @return the shared instance
     * @throws IllegalArgumentException when no supported K divides n with a power-of-two quotient
     */
    public static HadamardTransform forSize(int n) {
        return CACHE.computeIfAbsent(n, HadamardTransform::new);
    }

    /**
     * Returns the smallest supported order K with {@code n % K == 0} and {@code n / K} a power of
     * two.
     *
     * @param n the vector length
     * @return K
     * @throws IllegalArgumentException when there is none (e.g. 14)
     */
    public static int chooseK(int n) {
        for (int order : ORDERS) {
            if (n >= order && n % order == 0 && Integer.bitCount(n / order) == 1) {
                return order;
            }
        }
        throw new IllegalArgumentException("no supported Hadamard order for size " + n);
    }

    /**
     * Returns the vector length.
     *
     * @return n
     */
    public int size() {
        return n;
    }

    /**
     * Returns the order of the stored factor.
     *
     * @return K (1 for powers of two)
     */
    public int order() {
        return k;
    }

    /**
     * Replaces {@code x[off .. off+n)} by {@code Ĥ_n·x}.
     *
     * @param x the data
     * @param off the offset
     */
    public void apply(float[] x, int off) {
        apply(x, off, mix, WalshHadamard.butterflies());
    }

    /**
     * Replaces {@code x[off .. off+n)} by {@code Ĥ_nᵀ·x}, undoing {@link #apply}.
     *
     * @param x the data
     * @param off the offset
     */
    public void applyTransposed(float[] x, int off) {
        apply(x, off, mixTransposed, WalshHadamard.butterflies());
    }

    /**
     * The scalar reference of {@link #apply}.
     *
     * @param x the data
     * @param off the offset
     */
    public void applyScalar(float[] x, int off) {
        apply(x, off, mix, WalshHadamard.scalarButterflies());
    }

    /**
     * Applies {@link #apply} to each row of {@code x [rows, n]}, rows spread over the kernel threads.
     *
     * @param x the data, row-major
     * @param rows the number of rows
     */
    public void applyRows(float[] x, int rows) {
        if ((long) rows * n > x.length) {
            throw new IllegalArgumentException("array too small for " + rows + " rows of " + n);
        }
        KernelThreads.parallelFor(
                rows,
                Math.max(1, 8192 / n),
                (from, to) -> {
                    for (int r = from; r < to; r++) {
                        apply(x, r * n);
                    }
                });
    }

    private void apply(float[] x, int off, float[] h, Butterflies b) {
        if (off < 0 || off + n > x.length) {
            throw new IllegalArgumentException("range outside the array");
        }
        for (int a = 0; a < k; a++) {
            b.fwht(x, off + a * m, m);
        }
        if (k == 1) {
            float norm = (float) (1 / Math.sqrt(n));
            for (int i = off; i < off + n; i++) {
                x[i] *= norm;
            }
            return;
        }
        float[][] holder = SCRATCH.get();
        if (holder[0].length < n) {
            holder[0] = new float[n];
        }
        float[] src = holder[0];
        System.arraycopy(x, off, src, 0, n);
        b.mix(h, k, src, 0, m, x, off);
    }
}
