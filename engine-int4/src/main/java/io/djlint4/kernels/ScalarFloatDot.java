package io.djlint4.kernels;

/** The plain-Java reference for {@link FloatDot}; also the path when the Vector API is absent. */
final class ScalarFloatDot implements FloatDot {

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    @Override
    public void dot4(
            float[] a, int aOff, float[] b, int bOff, int bStride, int n, float[] out, int outOff) {
        for (int k = 0; k < 4; k++) {
            out[outOff + k] = dot(a, aOff, b, bOff + k * bStride, n);
        }
    }
}
