package io.djlint4.checkpoint;

import java.nio.ByteBuffer;

/**
 * GGML {@code Q4_1}: blocks of 32 values, {@code struct block_q4_1 { fp16 d; fp16 m; uint8
 * qs[16]; }} (20 bytes). Value {@code j < 16} is the low nibble of {@code qs[j]}, value {@code 16 +
 * j} its high nibble, and {@code x = q * d + m}.
 */
public final class GgufQ41Blocks {

    /** Values per block. */
    public static final int BLOCK_SIZE = 32;

    /** Bytes per block. */
    public static final int TYPE_SIZE = 4 + BLOCK_SIZE / 2;

    private GgufQ41Blocks() {}

    /**
     * Dequantizes blocks, as {@code dequantize_row_q4_1} in ggml.
     *
     * @param src the encoded bytes, little-endian
     * @param srcOffset the first block's byte index
     * @param dst the output
     * @param dstOffset the first output index
     * @param blocks the number of blocks
     */
    public static void dequantize(ByteBuffer src, int srcOffset, float[] dst, int dstOffset, int blocks) {
        for (int b = 0; b < blocks; b++) {
            int p = srcOffset + b * TYPE_SIZE;
            int o = dstOffset + b * BLOCK_SIZE;
            float d = Float16.toFloat(src.getShort(p));
            float m = Float16.toFloat(src.getShort(p + 2));
            for (int j = 0; j < 16; j++) {
                int q = src.get(p + 4 + j) & 0xFF;
                dst[o + j] = (q & 0xF) * d + m;
                dst[o + 16 + j] = (q >>> 4) * d + m;
            }
        }
    }
}
