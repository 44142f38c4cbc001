package io.djlint4.kernels.gguf;

/**
 * GGML {@code Q5_1} ({@code ggml_type} 7): blocks of 32 values in 24 bytes, {@code struct
 * block_q5_1 { fp16 d; fp16 m; uint8 qh[4]; uint8 qs[16]; }}. The five-bit codes {@code q} are packed
 * as in {@link Q50Format}; {@code x = q·d + m}. With 8-bit activations a block contributes {@code
 * d·d_a·Σ q·a + m·d_a·Σ a}, the second sum taken from {@link Q8Activations#sums()}.
 */
public final class Q51Format extends AbstractBlockFormat {

    /** The single instance. */
    public static final Q51Format INSTANCE = new Q51Format();

    /** The {@code ggml_type} id. */
    public static final int GGML_TYPE = 7;

    /** Values per block. */
    public static final int BLOCK_SIZE = 32;

    /** Bytes per block. */
    public static final int TYPE_SIZE = 24;

    private Q51Format() {
        super(GGML_TYPE, "Q5_1", BLOCK_SIZE, TYPE_SIZE);
    }

    @Override
    public int[] halfFieldOffsets() {
        return new int[] {0, 2};
    }

    @Override
    public void dequantize(byte[] src, int srcOff, float[] dst, int dstOff, int blocks) {
        for (int b = 0; b < blocks; b++) {
            int p = srcOff + b * TYPE_SIZE;
            int o = dstOff + b * BLOCK_SIZE;
            float d = BlockBytes.half(src, p);
            float m = BlockBytes.half(src, p + 2);
            int qh = BlockBytes.int32(src, p + 4);
            for (int j = 0; j < 16; j++) {
                int q = src[p + 8 + j] & 0xFF;
                dst[o + j] = Q5Codes.low(q, qh, j) * d + m;
                dst[o + 16 + j] = Q5Codes.high(q, qh, j) * d + m;
            }
        }
    }

    @Override
    public float dot(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        return VectorPath.ENABLED ? Q51Vector.dot(w, wOff, x, xOff, blocks) : dotReference(w, wOff, x, xOff, blocks);
    }

    @Override
    public float dotReference(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        float sum = 0f;
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * TYPE_SIZE;
            int xo = xOff + b * BLOCK_SIZE;
            int qh = BlockBytes.int32(w, p + 4);
            float s = 0f;
            float sx = 0f;
            for (int j = 0; j < 16; j++) {
                int q = w[p + 8 + j] & 0xFF;
                s += Q5Codes.low(q, qh, j) * x[xo + j] + Q5Codes.high(q, qh, j) * x[xo + 16 + j];
                sx += x[xo + j] + x[xo + 16 + j];
            }
            sum += BlockBytes.half(w, p) * s + BlockBytes.half(w, p + 2) * sx;
        }
        return sum;
    }

    @Override
    public float dotQ8(byte[] w, int wOff, Q8Activations a, int aOff, int blocks) {
        return VectorPath.ENABLED
                ? Q51Vector.dotQ8(w, wOff, a, aOff, blocks)
                : dotQ8Reference(w, wOff, a, aOff, blocks);
    }

    @Override
    public float dotQ8Reference(byte[] w, int wOff, Q8Activations a, int aOff, int blocks) {
        byte[] codes = a.codes();
        float[] scales = a.scales();
        int[] sums = a.sums();
        int first = aOff / Q8Activations.BLOCK;
        float sum = 0f;
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * TYPE_SIZE;
            int ao = aOff + b * BLOCK_SIZE;
            int qh = BlockBytes.int32(w, p + 4);
            int isum = 0;
            for (int j = 0; j < 16; j++) {
                int q = w[p + 8 + j] & 0xFF;
                isum += Q5Codes.low(q, qh, j) * codes[ao + j] + Q5Codes.high(q, qh, j) * codes[ao + 16 + j];
            }
            float da = scales[first + b];
            sum += BlockBytes.half(w, p) * da * isum + BlockBytes.half(w, p + 2) * da * sums[first + b];
        }
        return sum;
    }
}
