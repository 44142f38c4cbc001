package io.djlint4.quant.rotation;

import java.util.SplittableRandom;

/**
 * QuaRot's randomized Hadamard rotation {@code R = diag(s)·Ĥᵀ} with random signs {@code s}
 * (§3.6 of ALGORITHMS.md): {@code x·R} flips signs and then applies the Hadamard transform.
 */
public final class RandomizedHadamard implements Rotation {

    private final HadamardTransform hadamard;
    private final double[] signs;

    /**
     * Creates the rotation.
     *
     * @param n the order
     * @param seed the seed of the signs (and of the fallback factor, see {@link HadamardTransform})
     */
    public RandomizedHadamard(int n, long seed) {
        this.hadamard = HadamardTransform.of(n, seed);
        SplittableRandom rnd = new SplittableRandom(seed);
        this.signs = new double[n];
        for (int i = 0; i < n; i++) {
            signs[i] = rnd.nextBoolean() ? 1 : -1;
        }
    }

    @Override
    public int size() {
        return signs.length;
    }

    @Override
    public void rotate(double[] x, int off) {
        for (int i = 0; i < signs.length; i++) {
            x[off + i] *= signs[i];
        }
        hadamard.rotate(x, off);
    }


    /**
     * Returns the rotation as an explicit matrix, for refinement by DFRot.
     *
     * @return row-major {@code [n, n]}: row i is {@code e_i·R}
     */
    public double[] toMatrix() {
        int n = signs.length;
        double[] m = new double[n * n];
        for (int i = 0; i < n; i++) {
            m[i * n + i] = 1;
            rotate(m, i * n);
        }
        return m;
    }
}
