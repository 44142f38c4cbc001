package io.djlint4.quant.fp4;

import io.djlint4.kernels.Fp32Matmul;

/**
 * The objective of the activation search over every calibration token: for candidate quantized
 * inputs {@code X̂}, the squared error of the layer output, {@code ‖X̂·Ŵᵀ − X·Wᵀ‖²}, with the
 * weights {@code Ŵ} at their current biases.
 *
 * <p>A layer with more outputs than inputs measures it in the input space: with {@code E = X̂ − X}
 * and {@code F = Ŵ − W}, {@code X̂Ŵᵀ − XWᵀ = EŴᵀ + XFᵀ}, so the error is {@code Σ_t e_tᵀ·H·e_t +
 * 2·e_t·u_t + c} with {@code H = ŴᵀŴ}, {@code u_t = ŴᵀF·x_t} and {@code c = Σ_t ‖F·x_t‖²} fixed for
 * the search: {@code tokens·in²} multiply-adds per candidate instead of {@code tokens·in·out}, no
 * array of {@code tokens × out} (a classifier's would be the vocabulary wide), and every term of
 * the error's own size. Other layers run the product and compare it with the stored targets.
 */
final class InputCandidateError {

    private final float[] x;
    private final int rows;
    private final int in;
    private final int out;
    /** Direct form: the quantized weight and the targets. */
    private final float[] wq;
    private final float[] target;
    /** Input-space form: {@code H}, {@code u_t} by rows, {@code c}. */
    private final float[] h;
    private final float[] u;
    private final double offset;

    private InputCandidateError(
            float[] x, int rows, int in, int out, float[] wq, float[] target, float[] h, float[] u, double offset) {
        this.x = x;
        this.rows = rows;
        this.in = in;
        this.out = out;
        this.wq = wq;
        this.target = target;
        this.h = h;
        this.u = u;
        this.offset = offset;
    }

    /**
     * Prepares the objective of one activation search.
     *
     * @param x the full-precision inputs {@code [rows, in]}
     * @param w the full-precision weight {@code [out, in]}
     * @param wq the quantized weight, shifts not folded
     * @return the objective
     */
    static InputCandidateError of(float[] x, int rows, int in, float[] w, float[] wq, int out) {
        if (out <= in) {
            float[] target = new float[rows * out];
            Fp32Matmul.matmul(x, rows, w, null, out, in, target);
            return new InputCandidateError(x, rows, in, out, wq, target, null, null, 0);
        }
        float[] wqT = OutputError.transpose(wq, out, in);
        float[] fT = new float[in * out];
        for (int o = 0; o < out; o++) {
            for (int j = 0; j < in; j++) {
                fT[j * out + o] = wq[o * in + j] - w[o * in + j];
            }
        }
        float[] h = new float[in * in];
        Fp32Matmul.matmul(wqT, in, wqT, null, in, out, h);
        float[] m = new float[in * in];
        Fp32Matmul.matmul(wqT, in, fT, null, in, out, m);
        float[] u = new float[rows * in];
        Fp32Matmul.matmul(x, rows, m, null, in, in, u);
        float[] k = new float[in * in];
        Fp32Matmul.matmul(fT, in, fT, null, in, out, k);
        float[] xk = new float[rows * in];
        Fp32Matmul.matmul(x, rows, k, null, in, in, xk);
        double offset = 0;
        for (int i = 0; i < xk.length; i++) {
            offset += (double) xk[i] * x[i];
        }
        return new InputCandidateError(x, rows, in, out, null, null, h, u, offset);
    }

    /**
     * Returns the layer-output squared error of candidate inputs.
     *
     * @param xq the inputs quantized with the candidate bias {@code [rows, in]}
     * @return the error summed over all tokens and outputs
     */
    double total(float[] xq) {
        if (h == null) {
            float[] y = new float[rows * out];
            Fp32Matmul.matmul(xq, rows, wq, null, out, in, y);
            return OutputError.total(y, target, rows, out);
        }
        float[] e = new float[rows * in];
        for (int i = 0; i < e.length; i++) {
            e[i] = xq[i] - x[i];
        }
        float[] eh = new float[rows * in];
        // H is symmetric, so E·Hᵀ = E·H.
        Fp32Matmul.matmul(e, rows, h, null, in, in, eh);
        double s = offset;
        for (int i = 0; i < e.length; i++) {
            s += (double) e[i] * (eh[i] + 2.0 * u[i]);
        }
        return Math.max(0, s);
    }
}
