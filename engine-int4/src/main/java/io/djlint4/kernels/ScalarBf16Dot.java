package io.djlint4.kernels;

/** The plain-Java {@link Bf16Dot}, the path when the Vector API is absent. */
final class ScalarBf16Dot implements Bf16Dot {

    @Override
    public float dot(float[] even, float[] odd, int xOff, int[] words, int wOff, int pairs) {
        float s = 0f;
        for (int p = 0; p < pairs; p++) {
            int word = words[wOff + p];
            s += Float.intBitsToFloat(word << 16) * even[xOff + p];
            s += Float.intBitsToFloat(word & 0xFFFF0000) * odd[xOff + p];
        }
        return s;
    }

    @Override
    public void dot4(
            float[] even, float[] odd, int xOff, int[] words, int wOff, int wStride, int pairs, float[] out, int outOff) {
        for (int k = 0; k < 4; k++) {
            out[outOff + k] = dot(even, odd, xOff, words, wOff + k * wStride, pairs);
        }
    }
}
