package io.djlint4.quant.weight;

import io.djlint4.kernels.KernelThreads;
import io.djlint4.kernels.PanelGemm;

/**
 * Accumulates GPTQ's Hessian proxy {@code H = 2/n Σ XᵀX} over calibration batches of a linear
 * layer's inputs, as a running mean so its scale does not grow with the amount of data.
 */
public final class HessianAccumulator {

    /** Rows whose products are summed in float before joining the double mean. */
    private static final int SLICE = 512;

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
     * Adds a batch of input rows. The batch is taken in slices of {@value #SLICE} rows: each
     * slice's {@code XᵀX} is summed in float on the register-blocked panel kernel, its upper
     * triangle split over the kernel threads by column panels, then folded into the double mean.
     * Every entry is one running sum whatever the number of threads, so {@code H} is the same
     * for any thread count.
     *
     * @param x the inputs, row-major {@code [rows, k]}
     * @param rows the number of rows
     */
    public void add(float[] x, int rows) {
        if ((long) rows * k > x.length) {
            throw new IllegalArgumentException(
                    "Hessian batch of " + rows + " rows of " + k + " needs " + (long) rows * k + " values, got " + x.length);
        }
        for (int r0 = 0; r0 < rows; r0 += SLICE) {
            addSlice(x, r0, Math.min(SLICE, rows - r0));
        }
    }

    private void addSlice(float[] x, int r0, int n) {
        float[] xt = new float[k * n];
        for (int r = 0; r < n; r++) {
            int off = (r0 + r) * k;
            for (int i = 0; i < k; i++) {
                xt[i * n + r] = x[off + i];
            }
        }
        float[] gram = new float[k * k];
        int width = PanelGemm.WIDTH;
        int panels = (k + width - 1) / width;
        // Panel p costs in proportion to p (rows up to its diagonal): pairing p with panels-1-p
        // gives every task about the same work.
        KernelThreads.parallelFor((panels + 1) / 2, 1, (from, to) -> {
            float[] panel = new float[n * width];
            for (int p = from; p < to; p++) {
                gramPanel(x, r0, n, xt, p, panel, gram);
                if (panels - 1 - p != p) {
                    gramPanel(x, r0, n, xt, panels - 1 - p, panel, gram);
                }
            }
        });
        double keep = (double) seen / (seen + n);
        double add = 2.0 / (seen + n);
        for (int i = 0; i < k; i++) {
            int hi = i * k;
            for (int j = i; j < k; j++) {
                h[hi + j] = h[hi + j] * keep + add * gram[hi + j];
            }
        }
        seen += n;
    }

    /** Writes {@code XᵀX[i, j]} for the panel's columns {@code j} and every {@code i} up to them. */
    private void gramPanel(float[] x, int r0, int n, float[] xt, int p, float[] panel, float[] gram) {
        int width = PanelGemm.WIDTH;
        int first = p * width;
        int count = Math.min(width, k - first);
        // The panel is k-major over the slice's rows: row r holds x[r, first .. first+count).
        for (int r = 0; r < n; r++) {
            int src = (r0 + r) * k + first;
            int dst = r * width;
            System.arraycopy(x, src, panel, dst, count);
            for (int j = count; j < width; j++) {
                panel[dst + j] = 0f;
            }
        }
        PanelGemm.multiply(xt, first + count, panel, first, count, null, k, n, gram);
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
