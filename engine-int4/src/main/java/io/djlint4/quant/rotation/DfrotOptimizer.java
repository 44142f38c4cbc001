package io.djlint4.quant.rotation;

import io.djlint4.kernels.Fp32Matmul;
import io.djlint4.quant.act.PerTokenQuantizer;

/**
 * DFRot's refinement of the residual rotation R1 (§8 of ALGORITHMS.md): starting from R0 (a
 * randomized Hadamard), alternate between fixing the 4-bit per-token quantization targets of the
 * rotated calibration rows and solving the orthogonal Procrustes problem for the rotation, with
 * rows of massive-activation tokens weighted by α so the rotation does not sacrifice them.
 */
public final class DfrotOptimizer {

    /** The massive-token threshold of the paper, 8.5 at d = 4096, scaled with √d. */
    static final double THRESHOLD_PER_SQRT_D = 8.5 / Math.sqrt(4096);

    /** The reference's acceptance test tolerates a rise of the loss norm of up to this much. */
    private static final double ACCEPT_SLACK = 100;

    private static final double ACCEPT_MIN_GAIN = 0.1;

    private final PerTokenQuantizer quantizer = new PerTokenQuantizer(4, true, 1f);
    private final double alpha;
    private final int iterations;

    /**
     * Creates the optimizer.
     *
     * @param alpha the weight of massive-activation rows (100 in the paper)
     * @param iterations the number of alternations (100 in the paper)
     */
    public DfrotOptimizer(double alpha, int iterations) {
        if (!(alpha > 0) || iterations < 0) {
            throw new IllegalArgumentException("alpha must be positive and iterations >= 0");
        }
        this.alpha = alpha;
        this.iterations = iterations;
    }

    /**
     * Marks the rows that are massive activations: rows whose own 4-bit per-token quantization
     * error, unrotated, is small because one channel dominates them.
     *
     * @param rows calibration rows {@code [n, d]} (RMSNorm outputs with unit gain)
     * @param n the number of rows
     * @param d the width
     * @return one flag per row
     */
    public boolean[] massiveRows(float[] rows, int n, int d) {
        float[] q = new float[rows.length];
        quantizer.apply(rows, n, d, q);
        double threshold = THRESHOLD_PER_SQRT_D * Math.sqrt(d);
        boolean[] massive = new boolean[n];
        for (int t = 0; t < n; t++) {
            double e = 0;
            for (int c = 0; c < d; c++) {
                double diff = rows[t * d + c] - q[t * d + c];
                e += diff * diff;
            }
            massive[t] = Math.sqrt(e) < threshold;
        }
        return massive;
    }

    /**
     * Refines a rotation.
     *
     * @param rows calibration rows {@code [n, d]}
     * @param n the number of rows
     * @param d the width
     * @param massive the massive-row flags from {@link #massiveRows}
     * @param r0 the starting rotation, row-major {@code [d, d]}
     * @return the refined rotation and its loss history
     */
    public Result optimize(float[] rows, int n, int d, boolean[] massive, double[] r0) {
        float[] z = multiply(rows, n, d, toFloat(r0));
        for (int t = 0; t < n; t++) {
            if (massive[t]) {
                for (int c = 0; c < d; c++) {
                    z[t * d + c] *= (float) alpha;
                }
            }
        }
        double[] rk = identity(d);
        double initial = loss(z, n, d);
        double current = initial;
        int accepted = 0;
        float[] t = new float[z.length];
        for (int it = 0; it < iterations; it++) {
            quantizer.apply(z, n, d, t);
            double[] c = transposeTimes(z, t, n, d);
            double[] p = Orthonormalization.of(Orthonormalization.polarFactor(c, d), d);
            float[] zp = multiply(z, n, d, toFloat(p));
            double next = loss(zp, n, d);
            if (accepts(current, next)) {
                z = zp;
                rk = Orthonormalization.of(multiply(rk, p, d), d);
                current = next;
                accepted++;
            }
        }
        return new Result(multiply(r0, rk, d), initial, current, accepted);
    }

    /**
     * The reference's test of a Procrustes step (§8.5): accept unless the loss norm rises by nearly
     * {@value #ACCEPT_SLACK} or more. It compares norms, not squared norms: with squares the same
     * slack would refuse any step that raises a norm {@code L} by more than about {@code 50/L}.
     *
     * @param current {@code ‖Z − Qtok(Z)‖_F} before the step
     * @param next {@code ‖Z·P − Qtok(Z·P)‖_F} after it
     * @return whether the step is taken
     */
    static boolean accepts(double current, double next) {
        return next <= current + ACCEPT_SLACK && current + ACCEPT_SLACK - next > ACCEPT_MIN_GAIN;
    }

    /** The weighted loss {@code ‖Z − Qtok(Z)‖_F} of already-weighted rows (a norm, as in the reference). */
    double loss(float[] z, int n, int d) {
        float[] q = new float[z.length];
        quantizer.apply(z, n, d, q);
        double s = 0;
        for (int i = 0; i < z.length; i++) {
            double diff = z[i] - q[i];
            s += diff * diff;
        }
        return Math.sqrt(s);
    }

    /** {@code Z·M} for float rows and a float matrix, through the matmul kernel. */
    private static float[] multiply(float[] z, int n, int d, float[] m) {
        float[] mt = new float[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                mt[j * d + i] = m[i * d + j];
            }
        }
        float[] out = new float[n * d];
        Fp32Matmul.matmul(z, n, mt, null, d, d, out);
        return out;
    }

    /** {@code Zᵀ·T} in double: the Procrustes cross-covariance. */
    private static double[] transposeTimes(float[] z, float[] t, int n, int d) {
        float[] zt = transpose(z, n, d);
        float[] tt = transpose(t, n, d);
        float[] c = new float[d * d];
        Fp32Matmul.matmul(zt, d, tt, null, d, n, c);
        double[] out = new double[d * d];
        for (int i = 0; i < out.length; i++) {
            out[i] = c[i];
        }
        return out;
    }

    private static float[] transpose(float[] a, int rows, int cols) {
        float[] out = new float[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = a[r * cols + c];
            }
        }
        return out;
    }

    private static double[] multiply(double[] a, double[] b, int d) {
        double[] out = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int k = 0; k < d; k++) {
                double v = a[i * d + k];
                if (v == 0) {
                    continue;
                }
                for (int j = 0; j < d; j++) {
                    out[i * d + j] += v * b[k * d + j];
                }
            }
        }
        return out;
    }

    private static double[] identity(int d) {
        double[] m = new double[d * d];
        for (int i = 0; i < d; i++) {
            m[i * d + i] = 1;
        }
        return m;
    }

    private static float[] toFloat(double[] m) {
        float[] out = new float[m.length];
        for (int i = 0; i < m.length; i++) {
            out[i] = (float) m[i];
        }
        return out;
    }

    /**
     * The outcome of {@link #optimize}.
     *
     * @param rotation the refined R1 = R0·Rk, row-major {@code [d, d]}
     * @param initialLoss the weighted loss norm {@code ‖Z − Qtok(Z)‖_F} at R0
     * @param finalLoss the weighted loss norm at the result
     * @param acceptedSteps how many Procrustes steps were accepted
     */
    public record Result(double[] rotation, double initialLoss, double finalLoss, int acceptedSteps) {}
}
