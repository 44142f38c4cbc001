package io.djlint4.checkpoint;

import io.djlint4.kernels.gguf.BlockFormat;
import java.nio.ByteBuffer;

/**
 * A {@link GgufDequantizer} for a type with a {@link BlockFormat}: copies the mapped blocks into a
 * byte array a slab at a time and expands them with the format's dequantize, so readers and kernels
 * share one decoder per type.
 */
final class GgufBlockFormatDequantizer implements GgufDequantizer {

    // Bounds the copy of a chunk that may be a gigabyte long.
    private static final int SLAB_BYTES = 1 << 20;

    private final BlockFormat format;

    GgufBlockFormatDequantizer(BlockFormat format) {
        this.format = format;
    }

    @Override
    public void dequantize(ByteBuffer src, int srcOffset, float[] dst, int dstOffset, int blocks) {
        int typeSize = format.typeSize();
        int slabBlocks = Math.max(1, SLAB_BYTES / typeSize);
        byte[] slab = new byte[Math.min(blocks, slabBlocks) * typeSize];
        int done = 0;
        while (done < blocks) {
            int n = Math.min(slabBlocks, blocks - done);
            src.get(srcOffset + done * typeSize, slab, 0, n * typeSize);
            format.dequantize(slab, 0, dst, dstOffset + done * format.blockSize(), n);
            done += n;
        }
    }
}
