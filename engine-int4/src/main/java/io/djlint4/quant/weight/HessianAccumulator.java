package io.djlint4.quant.weight;

/**
 * Accumulates GPTQ's Hessian proxy {@code H = 2/n Σ XᵀX} over calibration batches of a linear
 * layer's inputs, as a running mean so its scale does not grow with the amount of data.
 */
public final class HessianAccumulator {

    private final int k;
    private final double[] h;
    private long seen;

    /**
     * Creates an empty accumulator.
     *
     * @param k the number of input channels
     */
    public HessianAccumulator(int k) {
        this.k = k;
        this.h = new double[k * k];
    }

    /**
     * Adds a batch of input rows.
     *
     * @param x the inputs, row-major {@code [rows, k]}
     * @param rows the number of rows
     */
    public void add(float[] x, int rows) {
        if (rows == 0) {
            return;
        }
        double keep = (double) seen / (seen + rows);
        double add = 2.0 / (seen + rows);
        for (int i = 0; i < h.length; i++) {
            h[i] *= keep;
        }
        for (int r = 0; r < rows; r++) {
            int off = r * k;
            for (int i = 0; i < k; i++) {
                double xi = x[off + i] * add;
                if (xi == 0) {
                    continue;
                }
                int hi = i * k;
                for (int j = i; j < k; j++) {
                    h[hi + j] += xi * x[off + j];
                }
            }
        }
        seen += rows;
    }

    /**
     * Returns the number of rows seen.
     *
     * @return the row count
     */
    public long rowsSeen() {
        return seen;
    }

    /**
     * Returns the symmetric Hessian proxy (a fresh copy).
     *
     * @return {@code H}, row-major {@code [k, k]}
     */
    public double[] hessian() {
        double[] out = h.clone();
        for (int i = 0; i < k; i++) {
            for (int j = i + 1; j < k; j++) {
                out[j * k + i] = out[i * k + j];
            }
        }
        return out;
    }
}
