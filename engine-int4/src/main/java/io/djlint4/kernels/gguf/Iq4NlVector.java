package io.djlint4.kernels.gguf;

import static io.djlint4.kernels.gguf.BlockLanes.F;
import static io.djlint4.kernels.gguf.BlockLanes.I;
import static io.djlint4.kernels.gguf.BlockLanes.L;

import io.djlint4.kernels.VectorLaneSum;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API products of {@link Iq4NlFormat}: the 16 code bytes of a block are loaded as one
 * 128-bit vector, both nibbles looked up in the 16-byte grid by a byte shuffle, and the grid values
 * widened L at a time. Only loaded when {@link VectorPath#ENABLED} is true.
 */
final class Iq4NlVector {

    private static final int BLOCK = Iq4NlFormat.BLOCK_SIZE;
    private static final int SIZE = Iq4NlFormat.TYPE_SIZE;
    private static final VectorSpecies<Byte> B16 = ByteVector.SPECIES_128;
    private static final ByteVector GRID = ByteVector.fromArray(B16, Iq4NlFormat.GRID, 0);
    private static final int PARTS = 16 / L;

    private Iq4NlVector() {}

    /** Grid values of the low nibbles of the block at {@code p}: values 0..15. */
    private static ByteVector low(byte[] w, int p) {
        return ByteVector.fromArray(B16, w, p + 2).and((byte) 0xF).selectFrom(GRID);
    }

    /** Grid values of the high nibbles: values 16..31 (a 16-bit shift, as x86 has no byte shift). */
    private static ByteVector high(byte[] w, int p) {
        ByteVector q = ByteVector.fromArray(B16, w, p + 2);
        return q.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes().and((byte) 0xF).selectFrom(GRID);
    }

    /** {@link Iq4NlFormat#dot}: per block Σ grid·x in float lanes, then one FMA by d. */
    static float dot(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * SIZE;
            int xo = xOff + b * BLOCK;
            ByteVector lo = low(w, p);
            ByteVector hi = high(w, p);
            FloatVector s = FloatVector.zero(F);
            for (int part = 0; part < PARTS; part++) {
                s = BlockLanes.floats(lo, part).fma(FloatVector.fromArray(F, x, xo + part * L), s);
                s = BlockLanes.floats(hi, part).fma(FloatVector.fromArray(F, x, xo + 16 + part * L), s);
            }
            acc = s.fma(FloatVector.broadcast(F, BlockBytes.half(w, p)), acc);
        }
        return VectorLaneSum.sum(acc);
    }

    /** {@link Iq4NlFormat#dotQ8}: per block Σ grid·a in int lanes, scaled by d·d_a in float. */
    static float dotQ8(byte[] w, int wOff, Q8Activations a, int aOff, int blocks) {
        byte[] codes = a.codes();
        float[] scales = a.scales();
        int first = aOff / Q8Activations.BLOCK;
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * SIZE;
            int ao = aOff + b * BLOCK;
            ByteVector lo = low(w, p);
            ByteVector hi = high(w, p);
            IntVector s = IntVector.zero(I);
            for (int part = 0; part < PARTS; part++) {
                int c = part * L;
                s = s.add(BlockLanes.ints(lo, part).mul(BlockLanes.ints(codes, ao + c)))
                        .add(BlockLanes.ints(hi, part).mul(BlockLanes.ints(codes, ao + 16 + c)));
            }
            float scale = BlockBytes.half(w, p) * scales[first + b];
            acc = BlockLanes.floats(s).fma(FloatVector.broadcast(F, scale), acc);
        }
        return VectorLaneSum.sum(acc);
    }
}
