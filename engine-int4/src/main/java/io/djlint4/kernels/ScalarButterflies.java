package io.djlint4.kernels;

/** The plain-Java reference of {@link Butterflies} (ALGORITHMS.md §3.5 pseudo-code). */
final class ScalarButterflies implements Butterflies {

    @Override
    public void fwht(float[] v, int off, int m) {
        for (int h = 1; h < m; h *= 2) {
            for (int i = 0; i < m; i += 2 * h) {
                for (int j = off + i; j < off + i + h; j++) {
                    float u = v[j];
                    float w = v[j + h];
                    v[j] = u + w;
                    v[j + h] = u - w;
                }
            }
        }
    }

    @Override
    public void mix(float[] h, int k, float[] src, int srcOff, int m, float[] dst, int dstOff) {
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < m; b++) {
                float s = 0f;
                for (int c = 0; c < k; c++) {
                    s = Math.fma(h[a * k + c], src[srcOff + c * m + b], s);
                }
                dst[dstOff + a * m + b] = s;
            }
        }
    }
}
