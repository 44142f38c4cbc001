package io.djlint4.checkpoint;

import java.nio.ByteBuffer;

/**
 * GGML {@code Q6_K}: super-blocks of 256 values, {@code struct block_q6_K { uint8 ql[128]; uint8
 * qh[64]; int8 scales[16]; fp16 d; }} (210 bytes). Each value has a 6-bit quant, its low four bits
 * in a nibble of {@code ql} and its high two bits in a 2-bit field of {@code qh}; sixteen
 * sub-blocks of 16 values have signed 8-bit scales, and {@code x = d * scale * (q - 32)}.
 *
 * <p>Per half (128 values, 64 {@code ql} bytes, 32 {@code qh} bytes, 8 scales), for {@code l <
 * 32}: value {@code l} = low nibble of {@code ql[l]} with bits 0-1 of {@code qh[l]}, value {@code
 * l+32} = low nibble of {@code ql[l+32]} with bits 2-3, value {@code l+64} = high nibble of {@code
 * ql[l]} with bits 4-5, value {@code l+96} = high nibble of {@code ql[l+32]} with bits 6-7; value
 * {@code v} of the half uses scale {@code v / 16}.
 *
 * <p>Kept in the tests as an oracle written apart from the {@code kernels.gguf} unit that runs the
 * type.
 */
public final class GgufQ6KBlocks {

    /** Values per super-block. */
    public static final int BLOCK_SIZE = 256;

    /** Bytes per super-block. */
    public static final int TYPE_SIZE = BLOCK_SIZE / 2 + BLOCK_SIZE / 4 + BLOCK_SIZE / 16 + 2;

    private GgufQ6KBlocks() {}

    /**
     * Dequantizes super-blocks, as {@code dequantize_row_q6_K} in ggml.
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
            float d = Float16.toFloat(src.getShort(p + 208));
            int ql = p;
            int qh = p + 128;
            int sc = p + 192;
            for (int n = 0; n < 2; n++) {
                for (int l = 0; l < 32; l++) {
                    int is = l / 16;
                    int lo0 = src.get(ql + l) & 0xFF;
                    int lo1 = src.get(ql + l + 32) & 0xFF;
                    int h = src.get(qh + l) & 0xFF;
                    int q1 = ((lo0 & 0xF) | ((h & 3) << 4)) - 32;
                    int q2 = ((lo1 & 0xF) | (((h >>> 2) & 3) << 4)) - 32;
                    int q3 = ((lo0 >>> 4) | (((h >>> 4) & 3) << 4)) - 32;
                    int q4 = ((lo1 >>> 4) | (((h >>> 6) & 3) << 4)) - 32;
                    dst[y + l] = d * src.get(sc + is) * q1;
                    dst[y + l + 32] = d * src.get(sc + is + 2) * q2;
                    dst[y + l + 64] = d * src.get(sc + is + 4) * q3;
                    dst[y + l + 96] = d * src.get(sc + is + 6) * q4;
                }
                y += 128;
                ql += 64;
                qh += 32;
                sc += 8;
            }
        }
    }
}
