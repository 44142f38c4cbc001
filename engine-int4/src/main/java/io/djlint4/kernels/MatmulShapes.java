package io.djlint4.kernels;

/** Argument checks shared by the packed-weight products. */
final class MatmulShapes {

    private MatmulShapes() {}

    /**
     * Throws unless the arrays hold {@code rows × in} inputs, {@code rows × out} outputs and {@code
     * out} biases.
     */
    static void check(float[] x, int rows, int in, int out, float[] bias, float[] y) {
        if (rows < 0
                || (x != null && (long) rows * in > x.length)
                || (long) rows * out > y.length
                || (bias != null && bias.length < out)) {
            throw new IllegalArgumentException(
                    "product sizes disagree: rows="
                            + rows
                            + " in="
                            + in
                            + " out="
                            + out
                            + (x == null ? "" : " x=" + x.length)
                            + " y="
                            + y.length
                            + (bias == null ? "" : " bias=" + bias.length));
        }
    }

    /** Writes one tile's results {@code y[t, o] = acc[t·width + lane]·factor + bias[o]}. */
    static void writeTile(
            float[] acc, int rows, int width, int tile, int out, float[] factorPerRow, float[] bias,
            float[] y) {
        int o0 = tile * width;
        int lanes = Math.min(width, out - o0);
        for (int t = 0; t < rows; t++) {
            float f = factorPerRow == null ? 1f : factorPerRow[t];
            for (int l = 0; l < lanes; l++) {
                float v = factorPerRow == null ? acc[t * width + l] : acc[t * width + l] * f;
                y[t * out + o0 + l] = bias == null ? v : v + bias[o0 + l];
            }
        }
    }
}
