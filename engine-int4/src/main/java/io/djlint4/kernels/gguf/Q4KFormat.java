package io.djlint4.kernels.gguf;

/**
 * GGML {@code Q4_K} ({@code ggml_type} 12): super-blocks of 256 values, {@code struct block_q4_K
 * { fp16 d; fp16 dmin; uint8 scales[12]; uint8 qs[128]; }} (144 bytes, little-endian). Eight
 * sub-blocks of 32 values each have a 6-bit scale {@code sc} and 6-bit min {@code m} packed into
 * {@code scales} as ggml's {@code get_scale_min_k4} reads them; value {@code x = d·sc·q − dmin·m}
 * with a 4-bit code {@code q}. Run {@code r} (0..3) of 32 {@code qs} bytes serves two sub-blocks:
 * its low nibbles sub-block {@code 2r}, its high nibbles sub-block {@code 2r+1}.
 *
 * <p>With 8-bit activations each sub-block meets exactly one activation block of 32, so its
 * product is {@code d_a·(d·sc·Σ q·q_a − dmin·m·Σ q_a)}, the code sum coming from {@link
 * Q8Activations#sums()}.
 */
public final class Q4KFormat extends AbstractBlockFormat {

    /** The single instance. */
    public static final Q4KFormat INSTANCE = new Q4KFormat();

    /** The {@code ggml_type} id. */
    public static final int GGML_TYPE = 12;

    /** Values per super-block. */
    public static final int BLOCK_SIZE = 256;

    /** Bytes per super-block. */
    public static final int TYPE_SIZE = 2 + 2 + 12 + BLOCK_SIZE / 2;

    /** Byte offset of {@code scales} in a block. */
    static final int SCALES = 4;

    /** Byte offset of {@code qs} in a block. */
    static final int QS = 16;

    private Q4KFormat() {
        super(GGML_TYPE, "Q4_K", BLOCK_SIZE, TYPE_SIZE);
    }

    @Override
    public int[] halfFieldOffsets() {
        return new int[] {0, 2};
    }

    @Override
    public void dequantize(byte[] src, int srcOff, float[] dst, int dstOff, int blocks) {
        for (int b = 0; b < blocks; b++) {
            int p = srcOff + b * TYPE_SIZE;
            float d = BlockBytes.half(src, p);
            float dmin = BlockBytes.half(src, p + 2);
            for (int r = 0; r < 4; r++) {
                int sm1 = KQuants.scaleMin(src, p + SCALES, 2 * r);
                int sm2 = KQuants.scaleMin(src, p + SCALES, 2 * r + 1);
                float d1 = d * KQuants.scale(sm1);
                float m1 = dmin * KQuants.min(sm1);
                float d2 = d * KQuants.scale(sm2);
                float m2 = dmin * KQuants.min(sm2);
                int q = p + QS + 32 * r;
                int y = dstOff + b * BLOCK_SIZE + 64 * r;
                for (int l = 0; l < 32; l++) {
                    int c = src[q + l] & 0xFF;
                    dst[y + l] = d1 * (c & 0xF) - m1;
                    dst[y + 32 + l] = d2 * (c >>> 4) - m2;
                }
            }
        }
    }

    @Override
    public float dot(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        return VectorPath.K_ENABLED ? Q4KVector.dot(w, wOff, x, xOff, blocks) : dotReference(w, wOff, x, xOff, blocks);
    }

    /** Sums each dequantized weight, exactly as {@link #dequantize} computes it, times its activation. */
    @Override
    public float dotReference(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        float sum = 0f;
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * TYPE_SIZE;
            float d = BlockBytes.half(w, p);
            float dmin = BlockBytes.half(w, p + 2);
            for (int r = 0; r < 4; r++) {
                int sm1 = KQuants.scaleMin(w, p + SCALES, 2 * r);
                int sm2 = KQuants.scaleMin(w, p + SCALES, 2 * r + 1);
                float d1 = d * KQuants.scale(sm1);
                float m1 = dmin * KQuants.min(sm1);
                float d2 = d * KQuants.scale(sm2);
                float m2 = dmin * KQuants.min(sm2);
                int q = p + QS + 32 * r;
                int xi = xOff + b * BLOCK_SIZE + 64 * r;
                for (int l = 0; l < 32; l++) {
                    sum += (d1 * (w[q + l] & 0xF) - m1) * x[xi + l];
                }
                for (int l = 0; l < 32; l++) {
                    sum += (d2 * ((w[q + l] & 0xFF) >>> 4) - m2) * x[xi + 32 + l];
                }
            }
        }
        return sum;
    }

    @Override
    public float dotQ8(byte[] w, int wOff, Q8Activations a, int aOff, int blocks) {
        return VectorPath.K_ENABLED ? Q4KVector.dotQ8(w, wOff, a, aOff, blocks) : dotQ8Reference(w, wOff, a, aOff, blocks);
    }

    @Override
    public float dotQ8Reference(byte[] w, int wOff, Q8Activations a, int aOff, int blocks) {
        byte[] codes = a.codes();
        float[] scales = a.scales();
        int[] sums = a.sums();
        float sum = 0f;
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * TYPE_SIZE;
            float d = BlockBytes.half(w, p);
            float dmin = BlockBytes.half(w, p + 2);
            for (int j = 0; j < 8; j++) {
                int sm = KQuants.scaleMin(w, p + SCALES, j);
                int q = p + QS + 32 * (j >> 1);
                int shift = 4 * (j & 1);
                int c = aOff + b * BLOCK_SIZE + 32 * j;
                int dot = 0;
                for (int l = 0; l < 32; l++) {
                    dot += ((w[q + l] & 0xFF) >>> shift & 0xF) * codes[c + l];
                }
                int ab = c / Q8Activations.BLOCK;
                sum += scales[ab] * (d * KQuants.scale(sm) * dot - dmin * KQuants.min(sm) * sums[ab]);
            }
        }
        return sum;
    }
}
