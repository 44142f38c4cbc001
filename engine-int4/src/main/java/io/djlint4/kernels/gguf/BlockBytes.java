package io.djlint4.kernels.gguf;

import io.djlint4.checkpoint.Float16;

/** Reads the little-endian scalar fields of GGML blocks out of a byte array. */
final class BlockBytes {

    private BlockBytes() {}

    /** Returns the fp16 field at {@code off} as a float. */
    static float half(byte[] b, int off) {
        return Float16.toFloat((b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8);
    }

    /** Returns the 32-bit field at {@code off}, e.g. the fifth bits {@code qh} of Q5 blocks. */
    static int int32(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }
}
