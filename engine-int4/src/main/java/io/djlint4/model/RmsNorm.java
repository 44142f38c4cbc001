package io.djlint4.model;

/** Root-mean-square layer normalization with a learned gain, as LLaMA and Qwen use it. */
public final class RmsNorm {

    private final float[] gain;
    private final float eps;

    /**
     * Creates the norm.
     *
     * @param gain the per-channel gain; its length is the normalized width
     * @param eps the epsilon added to the mean square
     */
    public RmsNorm(float[] gain, double eps) {
        this.gain = gain;
        this.eps = (float) eps;
    }

    /**
     * Returns the normalized width.
     *
     * @return the number of channels
     */
    public int size() {
        return gain.length;
    }

    /**
     * Normalizes {@code count} consecutive vectors of {@link #size()} values each.
     *
     * @param x the input
     * @param xOff offset of the first vector in {@code x}
     * @param out the output (may be {@code x} itself)
     * @param outOff offset of the first vector in {@code out}
     * @param count the number of vectors
     */
    public void apply(float[] x, int xOff, float[] out, int outOff, int count) {
        int n = gain.length;
        for (int v = 0; v < count; v++) {
            int xo = xOff + v * n;
            int oo = outOff + v * n;
            float ss = 0f;
            for (int i = 0; i < n; i++) {
                float e = x[xo + i];
                ss += e * e;
            }
            float inv = (float) (1.0 / Math.sqrt(ss / n + eps));
            for (int i = 0; i < n; i++) {
                out[oo + i] = gain[i] * (x[xo + i] * inv);
            }
        }
    }
}
