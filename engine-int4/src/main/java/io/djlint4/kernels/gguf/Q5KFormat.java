package io.djlint4.kernels.gguf;

/**
 * GGML {@code Q5_K} ({@code ggml_type} 13): super-blocks of 256 values, {@code struct block_q5_K
 * { fp16 d; fp16 dmin; uint8 scales[12]; uint8 qh[32]; uint8 qs[128]; }} (176 bytes,
 * little-endian). Scales, mins and the low four bits of each code are laid out as in {@link
 * Q4KFormat}; the fifth bit of value {@code l} (0..31) of sub-block {@code j} is bit {@code j} of
 * {@code qh[l]}. Value {@code x = d·sc·q − dmin·m} with a 5-bit code {@code q}.
 *
 * <p>With 8-bit activations each sub-block meets exactly one activation block of 32, so its
 * product is {@code d_a·(d·sc·Σ q·q_a − dmin·m·Σ q_a)}, the code sum coming from {@link
 * Q8Activations#sums()}.
 */
public final class Q5KFormat extends AbstractBlockFormat {

    /** The single instance. */
    public static final Q5KFormat INSTANCE = new Q5KFormat();

    /** The {@code ggml_type} id. */
    public static final int GGML_TYPE = 13;

    /** Values per super-block. */
    public static final int BLOCK_SIZE = 256;

    /** Bytes per super-block. */
    public static final int TYPE_SIZE = 2 + 2 + 12 + BLOCK_SIZE / 8 + BLOCK_SIZE / 2;

    /** Byte offset of {@code scales} in a block. */
    static final int SCALES = 4;

    /** Byte offset of {@code qh} in a block. */
    static final int QH = 16;

    /** Byte offset of {@code qs} in a block. */
    static final int QS = 48;

    private Q5KFormat() {
        super(GGML_TYPE, "Q5_K", BLOCK_SIZE, TYPE_SIZE);
    }

    /**
     * The 5-bit code of value {@code l} (0..31) of sub-block {@code j} of the block at {@code p}:
     * nibble {@code j % 2} of {@code qs[32·(j / 2) + l]} below bit {@code j} of {@code qh[l]}.
     */
    private static int code(byte[] w, int p, int j, int l) {
        int low = (w[p + QS + 32 * (j >> 1) + l] & 0xFF) >>> (4 * (j & 1)) & 0xF;
        return low | ((w[p + QH + l] & 0xFF) >>> j & 1) << 4;
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
            for (int j = 0; j < 8; j++) {
                int sm = KQuants.scaleMin(src, p + SCALES, j);
                float dj = d * KQuants.scale(sm);
                float mj = dmin * KQuants.min(sm);
                int y = dstOff + b * BLOCK_SIZE + 32 * j;
                for (int l = 0; l < 32; l++) {
                    dst[y + l] = dj * code(src, p, j, l) - mj;
                }
            }
        }
    }

    @Override
    public float dot(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        return VectorPath.K_ENABLED ? Q5KVector.dot(w, wOff, x, xOff, blocks) : dotReference(w, wOff, x, xOff, blocks);
    }

    /** Sums each dequantized weight, exactly as {@link #dequantize} computes it, times its activation. */
    @Override
    public float dotReference(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        float sum = 0f;
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * TYPE_SIZE;
            float d = BlockBytes.half(w, p);
            float dmin = BlockBytes.half(w, p + 2);
            for (int j = 0; j < 8; j++) {
                int sm = KQuants.scaleMin(w, p + SCALES, j);
                float dj = d * KQuants.scale(sm);
                float mj = dmin * KQuants.min(sm);
                int xi = xOff + b * BLOCK_SIZE + 32 * j;
                for (int l = 0; l < 32; l++) {
                    sum += (dj * code(w, p, j, l) - mj) * x[xi + l];
                }
            }
        }
        return sum;
    }

    @Override
    public float dotQ8(byte[] w, int wOff, Q8Activations a, int aOff, int blocks) {
        return VectorPath.K_ENABLED ? Q5KVector.dotQ8(w, wOff, a, aOff, blocks) : dotQ8Reference(w, wOff, a, aOff, blocks);
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
                int c = aOff + b * BLOCK_SIZE + 32 * j;
                int dot = 0;
                for (int l = 0; l < 32; l++) {
                    dot += code(w, p, j, l) * codes[c + l];
                }
                int ab = c / Q8Activations.BLOCK;
                sum += scales[ab] * (d * KQuants.scale(sm) * dot - dmin * KQuants.min(sm) * sums[ab]);
            }
        }
        return sum;
    }
}
