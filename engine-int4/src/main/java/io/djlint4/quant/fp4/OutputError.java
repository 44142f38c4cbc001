package io.djlint4.quant.fp4;

/** Squared errors of a layer output against its full-precision target, the search objective. */
final class OutputError {

    private OutputError() {}

    /** Returns {@code Σ_t (y[t,o] − target[t,o])²} for every output column {@code o}. */
    static double[] perColumn(float[] y, float[] target, int rows, int out) {
        double[] err = new double[out];
        for (int t = 0; t < rows; t++) {
            for (int o = 0; o < out; o++) {
                double d = (double) y[t * out + o] - target[t * out + o];
                err[o] += d * d;
            }
        }
        return err;
    }

    /** Returns the total squared error over all outputs. */
    static double total(float[] y, float[] target, int rows, int out) {
        double s = 0;
        for (double e : perColumn(y, target, rows, out)) {
            s += e;
        }
        return s;
    }

    /** The transpose of a row-major {@code [rows, cols]} matrix, which the moment forms multiply by. */
    static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = a[r * cols + c];
            }
        }
        return t;
    }
}
