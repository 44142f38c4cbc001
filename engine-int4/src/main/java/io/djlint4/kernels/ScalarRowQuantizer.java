package io.djlint4.kernels;

/** The plain-Java reference of {@link RowQuantizer}; also the path without the Vector API. */
final class ScalarRowQuantizer implements RowQuantizer {

    private static final float MIN_RANGE = 1e-5f;

    @Override
    public float quantizeRow(
            float[] x, int xOff, int n, float clip, int qmax, byte[] codes, float[] values, int off) {
        float amax = 0f;
        for (int i = 0; i < n; i++) {
            amax = Math.max(amax, Math.abs(x[xOff + i]));
        }
        float s = scaleOf(amax, clip, qmax);
        for (int i = 0; i < n; i++) {
            float q = (float) Math.rint(Math.max(-qmax - 1, Math.min(qmax, x[xOff + i] / s)));
            codes[off + i] = (byte) q;
            values[off + i] = q;
        }
        return s;
    }

    @Override
    public AsymmetricRowGrid quantizeRowAsymmetric(
            float[] x, int xOff, int n, float clip, int bits, byte[] codes, float[] values, int off) {
        float min = 0f;
        float max = 0f;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, x[xOff + i]);
            max = Math.max(max, x[xOff + i]);
        }
        AsymmetricRowGrid grid = AsymmetricRowGrid.fit(min, max, clip, bits);
        int half = 1 << (bits - 1);
        int z = grid.centredZero() + half;
        int qmax = (1 << bits) - 1;
        for (int i = 0; i < n; i++) {
            double q = Math.max(0, Math.min(qmax, Math.rint(x[xOff + i] / grid.scale()) + z));
            codes[off + i] = (byte) (q - half);
            values[off + i] = (float) (q - half);
        }
        return grid;
    }

    @Override
    public void roundRow(float[] x, int xOff, int n, float clip, int bits, boolean symmetric, float[] out, int outOff) {
        byte[] codes = new byte[n];
        float[] values = new float[n];
        float scale;
        int zero = 0;
        if (symmetric) {
            scale = quantizeRow(x, xOff, n, clip, (1 << (bits - 1)) - 1, codes, values, 0);
        } else {
            AsymmetricRowGrid grid = quantizeRowAsymmetric(x, xOff, n, clip, bits, codes, values, 0);
            scale = grid.scale();
            zero = grid.centredZero();
        }
        for (int i = 0; i < n; i++) {
            // from the integer code, as the simulated quantizer computes it (no −0.0)
            out[outOff + i] = (codes[i] - zero) * scale;
        }
    }

    /**
     * The §2.1 symmetric scale from a row's largest magnitude, with the range floored at 1e-5 as
     * the quantization methods' reference ({@code UniformQuantizer}) floors it, so the packed
     * layers round exactly as the simulated ones.
     */
    static float scaleOf(float amax, float clip, int qmax) {
        return Math.max(amax * clip, MIN_RANGE) / qmax;
    }
}
