package io.djlint4.kernels.gguf;

/**
 * GGML {@code Q4_0} ({@code ggml_type} 2): blocks of 32 values in 18 bytes, {@code struct
 * block_q4_0 { fp16 d; uint8 qs[16]; }}. Value {@code j < 16} is the low nibble {@code q} of
 * {@code qs[j]}, value {@code 16 + j} its high nibble, and {@code x = (q - 8)·d}. With 8-bit
 * activations a block contributes {@code d·d_a·Σ (q - 8)·a}.
 */
public final class Q40Format extends AbstractBlockFormat {

    /** The single instance. */
    public static final Q40Format INSTANCE = new Q40Format();

    /** The {@code ggml_type} id. */
    public static final int GGML_TYPE = 2;

    /** Values per block. */
    public static final int BLOCK_SIZE = 32;

    /** Bytes per block. */
    public static final int TYPE_SIZE = 18;

    private Q40Format() {
        super(GGML_TYPE, "Q4_0", BLOCK_SIZE, TYPE_SIZE);
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
            for (int j = 0; j < 16; j++) {
                int q = src[p + 2 + j] & 0xFF;
                dst[o + j] = ((q & 0xF) - 8) * d;
                dst[o + 16 + j] = ((q >>> 4) - 8) * d;
            }
        }
    }

    @Override
    public void expand(byte[] src, int srcOff, float[] dst, int dstOff, int blocks) {
        if (VectorPath.ENABLED) {
            Q40Vector.expand(src, srcOff, dst, dstOff, blocks);
        } else {
            dequantize(src, srcOff, dst, dstOff, blocks);
        }
    }

    @Override
    public float dot(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        return VectorPath.ENABLED ? Q40Vector.dot(w, wOff, x, xOff, blocks) : dotReference(w, wOff, x, xOff, blocks);
    }

    @Override
    public boolean readsWidenedHalves() {
        return VectorPath.ROW_PAIRS;
    }

    @Override
    public void dotRows(
            byte[] w, int wOff, int rowBytes, float[] halves, int hOff, float[] x, int xOff, int blocks, float[] y,
            int yOff, int count) {
        if (VectorPath.ROW_PAIRS) {
            Q40Vector.dotRows(w, wOff, rowBytes, halves, hOff, x, xOff, blocks, y, yOff, count);
        } else {
            super.dotRows(w, wOff, rowBytes, halves, hOff, x, xOff, blocks, y, yOff, count);
        }
    }

    @Override
    public void dotRows4(
            byte[] w, int wOff, int rowBytes, float[] halves, int hOff, float[] x, int xOff, int xStride, int blocks,
            float[] y, int yOff, int yStride, int count) {
        if (VectorPath.ROW_PAIRS && BlockLanes.WIDE) {
            Q40Vector.dotRows4(w, wOff, rowBytes, halves, hOff, x, xOff, xStride, blocks, y, yOff, yStride, count);
        } else {
            super.dotRows4(w, wOff, rowBytes, halves, hOff, x, xOff, xStride, blocks, y, yOff, yStride, count);
        }
    }

    @Override
    public float dotReference(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        float sum = 0f;
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * TYPE_SIZE;
            int xo = xOff + b * BLOCK_SIZE;
            float s = 0f;
            for (int j = 0; j < 16; j++) {
                int q = w[p + 2 + j] & 0xFF;
                s += ((q & 0xF) - 8) * x[xo + j] + ((q >>> 4) - 8) * x[xo + 16 + j];
            }
            sum += BlockBytes.half(w, p) * s;
        }
        return sum;
    }

    @Override
    public float dotQ8(byte[] w, int wOff, Q8Activations a, int aOff, int blocks) {
        return VectorPath.ENABLED
                ? Q40Vector.dotQ8(w, wOff, a, aOff, blocks)
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
            int isum = 0;
            for (int j = 0; j < 16; j++) {
                int q = w[p + 2 + j] & 0xFF;
                isum += ((q & 0xF) - 8) * codes[ao + j] + ((q >>> 4) - 8) * codes[ao + 16 + j];
            }
            sum += BlockBytes.half(w, p) * scales[first + b] * isum;
        }
        return sum;
    }
}
