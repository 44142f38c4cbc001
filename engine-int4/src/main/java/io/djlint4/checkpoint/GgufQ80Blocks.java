package io.djlint4.checkpoint;

import java.nio.ByteBuffer;

/**
 * GGML {@code Q8_0}: blocks of 32 values, {@code struct block_q8_0 { fp16 d; int8 qs[32]; }} (34
 * bytes), {@code x = qs[j] * d}.
 */
public final class GgufQ80Blocks {

    /** Values per block. */
    public static final int BLOCK_SIZE = 32;

    /** Bytes per block. */
    public static final int TYPE_SIZE = 2 + BLOCK_SIZE;

    private GgufQ80Blocks() {}

    /**
     * Dequantizes blocks, as {@code dequantize_row_q8_0} in ggml.
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
            for (int j = 0; j < BLOCK_SIZE; j++) {
                dst[o + j] = src.get(p + 2 + j) * d;
            }
        }
    }
}
