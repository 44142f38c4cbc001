package io.djlint4.kernels.gguf;

import io.djlint4.checkpoint.Float16;

/** Reads the little-endian scalar fields of GGML blocks out of a byte array. */
final class BlockBytes {

    /**
     * Every fp16 bit pattern as a float (256 KiB, resident in L2). Block products read one or two
     * fp16 scales per 32 values, and the branchy bit conversion cost a third of a Q4_1 row's time;
     * one load from here does not (Java 17 has no fp16 conversion intrinsic).
     */
    private static final float[] HALF_TO_FLOAT = new float[1 << 16];

    static {
        for (int bits = 0; bits < HALF_TO_FLOAT.length; bits++) {
            HALF_TO_FLOAT[bits] = Float16.toFloat(bits);
        }
    }

    private BlockBytes() {}

    /** Returns the fp16 field at {@code off} as a float. */
    static float half(byte[] b, int off) {
        return HALF_TO_FLOAT[(b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8];
    }

    /** Returns the 32-bit field at {@code off}, e.g. the fifth bits {@code qh} of Q5 blocks. */
    static int int32(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }
}
