package io.djlint4.kernels.gguf;

/**
 * GGML {@code Q5_0} ({@code ggml_type} 6): blocks of 32 values in 22 bytes, {@code struct
 * block_q5_0 { fp16 d; uint8 qh[4]; uint8 qs[16]; }}. The low four bits of value {@code j < 16} are
 * the low nibble of {@code qs[j]}, those of value {@code 16 + j} its high nibble; the fifth bit of
 * value {@code k} is bit {@code k} of {@code qh} read as a little-endian 32-bit word. Then {@code
 * x = (q - 16)·d}. With 8-bit activations a block contributes {@code d·d_a·Σ (q - 16)·a}.
 */
public final class Q50Format extends AbstractBlockFormat {

    /** The single instance. */
    public static final Q50Format INSTANCE = new Q50Format();

    /** The {@code ggml_type} id. */
    public static final int GGML_TYPE = 6;

    /** Values per block. */
    public static final int BLOCK_SIZE = 32;

    /** Bytes per block. */
    public static final int TYPE_SIZE = 22;

    private Q50Format() {
        super(GGML_TYPE, "Q5_0", BLOCK_SIZE, TYPE_SIZE);
    }

    @Override
    public int[] halfFieldOffsets() {
        return new int[] {0};
    }

    @Override
    public void dequantize(byte[] src, int srcOff, float[] dst, int dstOff, int blocks) {
        for (int b = 0; b < blocks; b++) {
            int p = srcOff + b * TYPE_SIZE;
            int o = dstOff + b * BLOCK_SIZE;
            float d = BlockBytes.half(src, p);
            int qh = BlockBytes.int32(src, p + 2);
            for (int j = 0; j < 16; j++) {
                int q = src[p + 6 + j] & 0xFF;
                dst[o + j] = (Q5Codes.low(q, qh, j) - 16) * d;
                dst[o + 16 + j] = (Q5Codes.high(q, qh, j) - 16) * d;
            }
        }
    }

    @Override
    public float dot(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        return VectorPath.ENABLED ? Q50Vector.dot(w, wOff, x, xOff, blocks) : dotReference(w, wOff, x, xOff, blocks);
    }

    @Override
    public float dotReference(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        float sum = 0f;
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * TYPE_SIZE;
            int xo = xOff + b * BLOCK_SIZE;
            int qh = BlockBytes.int32(w, p + 2);
            float s = 0f;
            for (int j = 0; j < 16; j++) {
                int q = w[p + 6 + j] & 0xFF;
                s += (Q5Codes.low(q, qh, j) - 16) * x[xo + j] + (Q5Codes.high(q, qh, j) - 16) * x[xo + 16 + j];
            }
            sum += BlockBytes.half(w, p) * s;
        }
        return sum;
    }

    @Override
    public float dotQ8(byte[] w, int wOff, Q8Activations a, int aOff, int blocks) {
        return VectorPath.ENABLED
                ? Q50Vector.dotQ8(w, wOff, a, aOff, blocks)
                : dotQ8Reference(w, wOff, a, aOff, blocks);
    }

    @Override
    public float dotQ8Reference(byte[] w, int wOff, Q8Activations a, int aOff, int blocks) {
        byte[] codes = a.codes();
        float[] scales = a.scales();
        int first = aOff / Q8Activations.BLOCK;
        float sum = 0f;
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * TYPE_SIZE;
            int ao = aOff + b * BLOCK_SIZE;
            int qh = BlockBytes.int32(w, p + 2);
            int isum = 0;
            for (int j = 0; j < 16; j++) {
                int q = w[p + 6 + j] & 0xFF;
                isum += (Q5Codes.low(q, qh, j) - 16) * codes[ao + j] + (Q5Codes.high(q, qh, j) - 16) * codes[ao + 16 + j];
            }
            sum += BlockBytes.half(w, p) * scales[first + b] * isum;
        }
        return sum;
    }
}
