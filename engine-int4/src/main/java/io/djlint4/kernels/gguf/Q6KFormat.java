package io.djlint4.kernels.gguf;

/**
 * GGML {@code Q6_K} ({@code ggml_type} 14): super-blocks of 256 values, {@code struct block_q6_K
 * { uint8 ql[128]; uint8 qh[64]; int8 scales[16]; fp16 d; }} (210 bytes, little-endian). Sixteen
 * sub-blocks of 16 values have signed 8-bit scales {@code sc}; value {@code x = d·sc·(q − 32)}
 * with a 6-bit code {@code q}, its low four bits in a nibble of {@code ql} and its high two bits in
 * a 2-bit field of {@code qh}.
 *
 * <p>Per half {@code n} (128 values; 64 {@code ql} bytes from {@code 64n}, 32 {@code qh} bytes
 * from {@code 32n}, scales from {@code 8n}), for {@code l < 32}: value {@code l} is the low nibble
 * of {@code ql[l]} with bits 0-1 of {@code qh[l]}, value {@code l+32} the low nibble of {@code
 * ql[l+32]} with bits 2-3, value {@code l+64} the high nibble of {@code ql[l]} with bits 4-5,
 * value {@code l+96} the high nibble of {@code ql[l+32]} with bits 6-7; value {@code v} of the
 * half has scale {@code v / 16}.
 *
 * <p>With 8-bit activations the two sub-blocks of 16 inside one activation block of 32 have their
 * own scales, so the block's integer sum is {@code sc₀·Σ₀ (q−32)·q_a + sc₁·Σ₁ (q−32)·q_a}, scaled
 * by {@code d·d_a}; the offset 32 is subtracted from each code, so no partial activation sums are
 * needed.
 */
public final class Q6KFormat extends AbstractBlockFormat {

    /** The single instance. */
    public static final Q6KFormat INSTANCE = new Q6KFormat();

    /** The {@code ggml_type} id. */
    public static final int GGML_TYPE = 14;

    /** Values per super-block. */
    public static final int BLOCK_SIZE = 256;

    /** Bytes per super-block. */
    public static final int TYPE_SIZE = BLOCK_SIZE / 2 + BLOCK_SIZE / 4 + BLOCK_SIZE / 16 + 2;

    /** Byte offset of {@code qh} in a block. */
    static final int QH = 128;

    /** Byte offset of {@code scales} in a block. */
    static final int SCALES = 192;

    /** Byte offset of {@code d} in a block. */
    static final int D = 208;

    private Q6KFormat() {
        super(GGML_TYPE, "Q6_K", BLOCK_SIZE, TYPE_SIZE);
    }

    /**
     * The signed code {@code q − 32} of value {@code l} (0..31) of group {@code g} (0..3) of the
     * half whose {@code ql} bytes start at {@code ql} and {@code qh} bytes at {@code qh}: nibble
     * {@code g / 2} of {@code ql[l + 32·(g % 2)]} below bits {@code 2g..2g+1} of {@code qh[l]}.
     */
    private static int code(byte[] w, int ql, int qh, int g, int l) {
        int low = (w[ql + 32 * (g & 1) + l] & 0xFF) >>> (4 * (g >> 1)) & 0xF;
        int high = (w[qh + l] & 0xFF) >>> (2 * g) & 3;
        return (low | high << 4) - 32;
    }

    @Override
    public int[] halfFieldOffsets() {
        return new int[] {208};
    }

    @Override
    public void dequantize(byte[] src, int srcOff, float[] dst, int dstOff, int blocks) {
        for (int b = 0; b < blocks; b++) {
            int p = srcOff + b * TYPE_SIZE;
            float d = BlockBytes.half(src, p + D);
            for (int n = 0; n < 2; n++) {
                int ql = p + 64 * n;
                int qh = p + QH + 32 * n;
                for (int g = 0; g < 4; g++) {
                    int sc = p + SCALES + 8 * n + 2 * g;
                    int y = dstOff + b * BLOCK_SIZE + 128 * n + 32 * g;
                    for (int l = 0; l < 32; l++) {
                        dst[y + l] = d * src[sc + (l >> 4)] * code(src, ql, qh, g, l);
                    }
                }
            }
        }
    }

    @Override
    public float dot(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        return VectorPath.K_ENABLED ? Q6KVector.dot(w, wOff, x, xOff, blocks) : dotReference(w, wOff, x, xOff, blocks);
    }

    /** Sums each dequantized weight, exactly as {@link #dequantize} computes it, times its activation. */
    @Override
    public float dotReference(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        float sum = 0f;
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * TYPE_SIZE;
            float d = BlockBytes.half(w, p + D);
            for (int n = 0; n < 2; n++) {
                int ql = p + 64 * n;
                int qh = p + QH + 32 * n;
                for (int g = 0; g < 4; g++) {
                    int sc = p + SCALES + 8 * n + 2 * g;
                    int xi = xOff + b * BLOCK_SIZE + 128 * n + 32 * g;
                    for (int l = 0; l < 32; l++) {
                        sum += d * w[sc + (l >> 4)] * code(w, ql, qh, g, l) * x[xi + l];
                    }
                }
            }
        }
        return sum;
    }

    @Override
    public float dotQ8(byte[] w, int wOff, Q8Activations a, int aOff, int blocks) {
        return VectorPath.K_ENABLED ? Q6KVector.dotQ8(w, wOff, a, aOff, blocks) : dotQ8Reference(w, wOff, a, aOff, blocks);
    }

    @Override
    public float dotQ8Reference(byte[] w, int wOff, Q8Activations a, int aOff, int blocks) {
        byte[] codes = a.codes();
        float[] scales = a.scales();
        float sum = 0f;
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * TYPE_SIZE;
            float d = BlockBytes.half(w, p + D);
            for (int n = 0; n < 2; n++) {
                int ql = p + 64 * n;
                int qh = p + QH + 32 * n;
                for (int g = 0; g < 4; g++) {
                    // Group g of half n is one activation block: two sub-blocks of 16.
                    int sc = p + SCALES + 8 * n + 2 * g;
                    int c = aOff + b * BLOCK_SIZE + 128 * n + 32 * g;
                    int dot0 = 0;
                    int dot1 = 0;
                    for (int l = 0; l < 16; l++) {
                        dot0 += code(w, ql, qh, g, l) * codes[c + l];
                        dot1 += code(w, ql, qh, g, 16 + l) * codes[c + 16 + l];
                    }
                    sum += d * scales[c / Q8Activations.BLOCK] * (w[sc] * dot0 + w[sc + 1] * dot1);
                }
            }
        }
        return sum;
    }
}
