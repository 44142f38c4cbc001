package io.djlint4.quant.fp4;

import io.djlint4.kernels.Fp32Matmul;

/**
 * The objective of the weight search over every calibration token: for a candidate quantized
 * weight {@code Ŵ}, the squared error of each output column, {@code ‖X̂·ŵ_oᵀ − X·w_oᵀ‖²}, with the
 * inputs {@code X̂} quantized at their current bias.
 *
 * <p>With more tokens than input channels it is computed from second moments gathered once per
 * round: with {@code d_o = ŵ_o − w_o} and {@code E = X̂ − X}, {@code X̂ŵ_o − Xw_o = X̂d_o + Ew_o}, so
 * the error is {@code d_oᵀ·A·d_o + 2·d_oᵀ·g_o + c_o} with {@code A = X̂ᵀX̂}, {@code g_o = X̂ᵀE·w_o}
 * and {@code c_o = ‖E·w_o‖²}. A candidate then costs {@code out·in²} multiply-adds whatever the
 * number of tokens, against {@code tokens·out·in} for the product it replaces; every term is of the
 * error's own size, so nothing large cancels. With fewer tokens than channels the product is
 * cheaper and is used as it is.
 */
final class WeightCandidateError {

    private final float[] w;
    private final int out;
    private final int in;
    /** Direct form: the quantized inputs and the targets. */
    private final float[] xq;
    private final int rows;
    private final float[] target;
    /** Moment form: {@code A = X̂ᵀX̂}, {@code g_o} by rows, {@code c_o}. */
    private final float[] gram;
    private final float[] cross;
    private final double[] offset;

    private WeightCandidateError(
            float[] w, int out, int in, float[] xq, int rows, float[] target, float[] gram, float[] cross, double[] offset) {
        this.w = w;
        this.out = out;
        this.in = in;
        this.xq = xq;
        this.rows = rows;
        this.target = target;
        this.gram = gram;
        this.cross = cross;
        this.offset = offset;
    }

    /**
     * Prepares the objective of one weight search.
     *
     * @param w the full-precision weight {@code [out, in]}
     * @param x the full-precision inputs {@code [rows, in]}
     * @param xq the same inputs quantized at their current bias
     * @param rows the number of tokens
     * @return the objective
     */
    static WeightCandidateError of(float[] w, int out, int in, float[] x, float[] xq, int rows) {
        if (rows <= in) {
            float[] target = new float[rows * out];
            Fp32Matmul.matmul(x, rows, w, null, out, in, target);
            return new WeightCandidateError(w, out, in, xq, rows, target, null, null, null);
        }
        float[] xqT = OutputError.transpose(xq, rows, in);
        float[] eT = new float[in * rows];
        for (int t = 0; t < rows; t++) {
            for (int j = 0; j < in; j++) {
                eT[j * rows + t] = xq[t * in + j] - x[t * in + j];
            }
        }
        float[] gram = new float[in * in];
        Fp32Matmul.matmul(xqT, in, xqT, null, in, rows, gram);
        float[] qe = new float[in * in];
        Fp32Matmul.matmul(xqT, in, eT, null, in, rows, qe);
        float[] cross = new float[out * in];
        Fp32Matmul.matmul(w, out, qe, null, in, in, cross);
        float[] ee = new float[in * in];
        Fp32Matmul.matmul(eT, in, eT, null, in, rows, ee);
        float[] we = new float[out * in];
        Fp32Matmul.matmul(w, out, ee, null, in, in, we);
        double[] offset = new double[out];
        for (int o = 0; o < out; o++) {
            double s = 0;
            for (int j = 0; j < in; j++) {
                s += (double) we[o * in + j] * w[o * in + j];
            }
            offset[o] = s;
        }
        return new WeightCandidateError(w, out, in, null, rows, null, gram, cross, offset);
    }

    /**
     * Returns every output column's squared error for a candidate.
     *
     * @param wq the candidate quantized weight {@code [out, in]}
     * @return the error of each column, summed over all tokens
     */
    double[] perRow(float[] wq) {
        if (gram == null) {
            float[] y = new float[rows * out];
            Fp32Matmul.matmul(xq, rows, wq, null, out, in, y);
            return OutputError.perColumn(y, target, rows, out);
        }
        float[] d = new float[out * in];
        for (int i = 0; i < d.length; i++) {
            d[i] = wq[i] - w[i];
        }
        float[] da = new float[out * in];
        // A is symmetric, so D·Aᵀ = D·A.
        Fp32Matmul.matmul(d, out, gram, null, in, in, da);
        double[] err = new double[out];
        for (int o = 0; o < out; o++) {
            double s = offset[o];
            for (int j = 0; j < in; j++) {
                int i = o * in + j;
                s += (double) d[i] * (da[i] + 2.0 * cross[i]);
            }
            // Rounding in the moments can leave a tiny negative where the error is nearly zero.
            err[o] = Math.max(0, s);
        }
        return err;
    }
}
