package io.djlint4.checkpoint;

import java.nio.ByteBuffer;

/**
 * GGML {@code Q4_K}: super-blocks of 256 values, {@code struct block_q4_K { fp16 d; fp16 dmin;
 * uint8 scales[12]; uint8 qs[128]; }} (144 bytes). The super-block holds eight sub-blocks of 32
 * values, each with a 6-bit scale {@code sc} and 6-bit min {@code m} packed into {@code scales}
 * (see {@link #scaleMin}); value {@code x = d * sc * q - dmin * m} with 4-bit {@code q}. Each run
 * of 32 {@code qs} bytes serves two sub-blocks: low nibbles the first, high nibbles the second.
 *
 * <p>Kept in the tests as an oracle written apart from the {@code kernels.gguf} unit that runs the
 * type.
 */
public final class GgufQ4KBlocks {

    /** Values per super-block. */
    public static final int BLOCK_SIZE = 256;

    /** Bytes per super-block. */
    public static final int TYPE_SIZE = 2 + 2 + 12 + BLOCK_SIZE / 2;

    private GgufQ4KBlocks() {}

    /**
     * Unpacks the 6-bit scale and min of sub-block {@code j} (0..7), as ggml's {@code
     * get_scale_min_k4}: for {@code j < 4} the low six bits of {@code scales[j]} and {@code
     * scales[j+4]}; for {@code j >= 4} the nibbles of {@code scales[j+4]} with the top two bits of
     * {@code scales[j-4]} (scale) and {@code scales[j]} (min) above them.
     *
     * @param scales the 12 packed bytes, starting at {@code off}
     * @param off the index of the first packed byte
     * @param j the sub-block
     * @return {@code scale << 8 | min}
     */
    static int scaleMin(ByteBuffer scales, int off, int j) {
        int sc;
        int m;
        if (j < 4) {
            sc = scales.get(off + j) & 63;
            m = scales.get(off + j + 4) & 63;
        } else {
            int hi = scales.get(off + j + 4) & 0xFF;
            sc = (hi & 0xF) | (((scales.get(off + j - 4) & 0xFF) >>> 6) << 4);
            m = (hi >>> 4) | (((scales.get(off + j) & 0xFF) >>> 6) << 4);
        }
        return sc << 8 | m;
    }

    /**
     * Dequantizes super-blocks, as {@code dequantize_row_q4_K} in ggml.
     *
     * @param src the encoded bytes, little-endian
     * @param srcOffset the first super-block's byte index
     * @param dst the output
     * @param dstOffset the first output index
     * @param blocks the number of super-blocks
     */
    public static void dequantize(ByteBuffer src, int srcOffset, float[] dst, int dstOffset, int blocks) {
        for (int b = 0; b < blocks; b++) {
            int p = srcOffset + b * TYPE_SIZE;
            int y = dstOffset + b * BLOCK_SIZE;
            float d = Float16.toFloat(src.getShort(p));
            float min = Float16.toFloat(src.getShort(p + 2));
            int scales = p + 4;
            int q = p + 16;
            for (int is = 0; is < 8; is += 2) {
                int sm1 = scaleMin(src, scales, is);
                int sm2 = scaleMin(src, scales, is + 1);
                float d1 = d * (sm1 >>> 8);
                float m1 = min * (sm1 & 0xFF);
                float d2 = d * (sm2 >>> 8);
                float m2 = min * (sm2 & 0xFF);
                for (int l = 0; l < 32; l++) {
                    dst[y + l] = d1 * (src.get(q + l) & 0xF) - m1;
                }
                for (int l = 0; l < 32; l++) {
                    dst[y + 32 + l] = d2 * ((src.get(q + l) & 0xFF) >>> 4) - m2;
                }
                q += 32;
                y += 64;
            }
        }
    }
}
