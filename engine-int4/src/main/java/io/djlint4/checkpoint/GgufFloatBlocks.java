package io.djlint4.checkpoint;

import java.nio.ByteBuffer;

/** The unquantized GGML types F32, F16 and BF16, one value per "block". */
final class GgufFloatBlocks {

    private GgufFloatBlocks() {}

    static void dequantizeF32(ByteBuffer src, int srcOffset, float[] dst, int dstOffset, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOffset + i] = src.getFloat(srcOffset + 4 * i);
        }
    }

    static void dequantizeF16(ByteBuffer src, int srcOffset, float[] dst, int dstOffset, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOffset + i] = Float16.toFloat(src.getShort(srcOffset + 2 * i));
        }
    }

    static void dequantizeBf16(ByteBuffer src, int srcOffset, float[] dst, int dstOffset, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOffset + i] = Float16.bf16ToFloat(src.getShort(srcOffset + 2 * i));
        }
    }
}
