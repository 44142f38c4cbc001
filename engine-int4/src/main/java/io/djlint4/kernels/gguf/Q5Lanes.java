package io.djlint4.kernels.gguf;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link Q5Codes} in int lanes: the codes of {@code L} values at once, their fifth bits shifted
 * into place per lane. Only loaded when {@link VectorPath#ENABLED} is true.
 */
final class Q5Lanes {

    private Q5Lanes() {}

    /**
     * Returns the codes of values {@code c .. c + L - 1}.
     *
     * @param q code bytes {@code qs[c .. c + L - 1]}, as from {@link BlockLanes#ints(byte[], int)}
     * @param qh the fifth bits
     * @param c the first value, below 16
     * @return codes 0..31
     */
    static IntVector low(IntVector q, int qh, int c) {
        // qh << 4 moves bit k to k + 4, so a right shift by k leaves it at bit 4 (k < 16: nothing lost).
        IntVector bit = IntVector.broadcast(BlockLanes.I, qh << 4).lanewise(VectorOperators.LSHR, BlockLanes.IOTA.add(c));
        return BlockLanes.lowNibbles(q).or(bit.and(0x10));
    }

    /**
     * Returns the codes of values {@code 16 + c .. 16 + c + L - 1}.
     *
     * @param q code bytes {@code qs[c .. c + L - 1]}
     * @param qh the fifth bits
     * @param c the first code byte, below 16
     * @return codes 0..31
     */
    static IntVector high(IntVector q, int qh, int c) {
        // Bit 16 + k lands at bit 4 after a right shift by 12 + k.
        IntVector bit = IntVector.broadcast(BlockLanes.I, qh).lanewise(VectorOperators.LSHR, BlockLanes.IOTA.add(12 + c));
        return BlockLanes.highNibbles(q).or(bit.and(0x10));
    }
}
