package io.djlint4.kernels.gguf;

/**
 * GGML {@code IQ4_NL} ({@code ggml_type} 20): blocks of 32 values in 18 bytes, {@code struct
 * block_iq4_nl { fp16 d; uint8 qs[16]; }}, nibbles placed as in {@link Q40Format} but indexing a
 * non-linear grid: {@code x = d·kvalues_iq4nl[q]}. With 8-bit activations a block contributes
 * {@code d·d_a·Σ kvalues_iq4nl[q]·a}.
 */
public final class Iq4NlFormat extends AbstractBlockFormat {

    /** The single instance. */
    public static final Iq4NlFormat INSTANCE = new Iq4NlFormat();

    /** The {@code ggml_type} id. */
    public static final int GGML_TYPE = 20;

    /** Values per block. */
    public static final int BLOCK_SIZE = 32;

    /** Bytes per block. */
    public static final int TYPE_SIZE = 18;

    /** ggml's {@code kvalues_iq4nl}; every entry fits a signed byte, so the vector path looks them up as bytes. */
    static final byte[] GRID = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};

    private Iq4NlFormat() {
        super(GGML_TYPE, "IQ4_NL", BLOCK_SIZE, TYPE_SIZE);
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
                dst[o + j] = d * GRID[q & 0xF];
                dst[o + 16 + j] = d * GRID[q >>> 4];
            }
        }
    }

    @Override
    public float dot(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        return VectorPath.ENABLED ? Iq4NlVector.dot(w, wOff, x, xOff, blocks) : dotReference(w, wOff, x, xOff, blocks);
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
                s += GRID[q & 0xF] * x[xo + j] + GRID[q >>> 4] * x[xo + 16 + j];
            }
            sum += BlockBytes.half(w, p) * s;
        }
        return sum;
    }

    @Override
    public float dotQ8(byte[] w, int wOff, Q8Activations a, int aOff, int blocks) {
        return VectorPath.ENABLED
                ? Iq4NlVector.dotQ8(w, wOff, a, aOff, blocks)
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
                isum += GRID[q & 0xF] * codes[ao + j] + GRID[q >>> 4] * codes[ao + 16 + j];
            }
            sum += BlockBytes.half(w, p) * scales[first + b] * isum;
        }
        return sum;
    }
}
