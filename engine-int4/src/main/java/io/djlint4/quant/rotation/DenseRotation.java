package io.djlint4.quant.rotation;

import io.djlint4.kernels.Fp32Matmul;
import io.djlint4.model.RowTransform;

/** A rotation by an explicit orthogonal matrix, row-major {@code double[d*d]}. */
public final class DenseRotation implements Rotation {

    private final int d;
    private final double[] m;

    /**
     * Wraps a matrix (not copied).
     *
     * @param m the orthogonal matrix, row-major {@code [d, d]}
     * @param d the order
     */
    public DenseRotation(double[] m, int d) {
        if (m.length != (long) d * d) {
            throw new IllegalArgumentException("matrix has " + m.length + " entries, expected " + d + "x" + d);
        }
        this.d = d;
        this.m = m;
    }

    /**
     * Returns the matrix (the live array).
     *
     * @return row-major {@code [d, d]}
     */
    public double[] matrix() {
        return m;
    }

    @Override
    public int size() {
        return d;
    }

    @Override
    public void rotate(double[] x, int off) {
        double[] out = new double[d];
        for (int i = 0; i < d; i++) {
            double xi = x[off + i];
            if (xi == 0) {
                continue;
            }
            int row = i * d;
            for (int j = 0; j < d; j++) {
                out[j] += xi * m[row + j];
            }
        }
        System.arraycopy(out, 0, x, off, d);
    }

    @Override
    public RowTransform online() {
        // y = x·M = x·(Mᵀ)ᵀ: the matmul kernel takes the transposed matrix as its weight.
        float[] mt = new float[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                mt[j * d + i] = (float) m[i * d + j];
            }
        }
        return (x, rows, out) -> Fp32Matmul.matmul(x, rows, mt, null, d, d, out);
    }
}
