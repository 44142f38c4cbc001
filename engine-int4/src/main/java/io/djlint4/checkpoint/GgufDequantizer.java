package io.djlint4.checkpoint;

import java.nio.ByteBuffer;

/** Expands whole blocks of one GGML tensor type to floats. */
@FunctionalInterface
public interface GgufDequantizer {

    /**
     * Dequantizes consecutive blocks.
     *
     * @param src the encoded bytes, little-endian; read with absolute gets, position untouched
     * @param srcOffset the index in {@code src} of the first block's first byte
     * @param dst the output
     * @param dstOffset the index in {@code dst} of the first block's first value
     * @param blocks the number of blocks
     */
    void dequantize(ByteBuffer src, int srcOffset, float[] dst, int dstOffset, int blocks);
}
