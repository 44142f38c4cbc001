package io.djlint4.kernels.gguf;

import io.djlint4.kernels.VectorSupport;

/**
 * Whether the block products run on the Vector API. Kept apart from {@link BlockLanes} and {@link
 * KVectors} so that reading a flag loads nothing from {@code jdk.incubator.vector} when the module
 * is absent.
 */
final class VectorPath {

    /**
     * True when the module is present and a vector holds at most 16 floats: the kernels split a
     * block of 32 into whole vectors (wider CPUs keep the scalar path).
     */
    static final boolean ENABLED = VectorSupport.isAvailable() && BlockLanes.FITS;

    /**
     * True when {@link #ENABLED} at 8 lanes (AVX2) or on 512-bit vectors ({@link BlockLanes#WIDE}):
     * the commonest types then run row-pair kernels, two weight rows per pass over the input with
     * their fp16 fields widened beforehand.
     */
    static final boolean ROW_PAIRS = ENABLED && (BlockLanes.WIDE || BlockLanes.L == 8);

    /**
     * True when the module is present and the K-quant kernels fit the preferred species ({@link
     * KVectors#USABLE}); they cut super-blocks differently, so their width limits differ.
     */
    static final boolean K_ENABLED = VectorSupport.isAvailable() && KVectors.USABLE;

    private VectorPath() {}
}
