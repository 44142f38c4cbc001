package io.djlint4.kernels.gguf;

import static io.djlint4.kernels.gguf.BlockLanes.F;
import static io.djlint4.kernels.gguf.BlockLanes.I;
import static io.djlint4.kernels.gguf.BlockLanes.L;

import io.djlint4.kernels.VectorLaneSum;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The Vector API products of {@link Q51Format}, laid out as {@link Q41Vector} with the fifth bits
 * from {@link Q5Lanes}. Only loaded when {@link VectorPath#ENABLED} is true.
 */
final class Q51Vector {

    private static final int BLOCK = Q51Format.BLOCK_SIZE;
    private static final int SIZE = Q51Format.TYPE_SIZE;

    private Q51Vector() {}

    /** {@link Q51Format#dot}: Σ q·x and Σ x per block in float lanes, scaled by d and m. */
    static float dot(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        if (BlockLanes.WIDE) {
            return dot16(w, wOff, x, xOff, blocks);
        }
        return L == 8 ? dot8(w, wOff, x, xOff, blocks) : dotAnyWidth(w, wOff, x, xOff, blocks);
    }

    /** {@link #dot} at 16 lanes with every vector operation written here, as {@link Q50Vector}'s. */
    private static float dot16(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        FloatVector accD = FloatVector.zero(BlockLanes.F16);
        FloatVector accM = FloatVector.zero(BlockLanes.F16);
        IntVector shiftLow = IntVector.zero(BlockLanes.I16).addIndex(1);
        IntVector shiftHigh = shiftLow.add(12);
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * SIZE;
            int xo = xOff + b * BLOCK;
            int qh = BlockBytes.int32(w, p + 4);
            IntVector q = (IntVector) ByteVector.fromArray(BlockLanes.B16, w, p + 8)
                    .convertShape(VectorOperators.B2I, BlockLanes.I16, 0);
            IntVector lo = q.and(0xF)
                    .or(IntVector.broadcast(BlockLanes.I16, qh << 4).lanewise(VectorOperators.LSHR, shiftLow).and(0x10));
            IntVector hi = q.lanewise(VectorOperators.LSHR, 4).and(0xF)
                    .or(IntVector.broadcast(BlockLanes.I16, qh).lanewise(VectorOperators.LSHR, shiftHigh).and(0x10));
            FloatVector x0 = FloatVector.fromArray(BlockLanes.F16, x, xo);
            FloatVector x1 = FloatVector.fromArray(BlockLanes.F16, x, xo + 16);
            FloatVector s = ((FloatVector) lo.convert(VectorOperators.I2F, 0)).mul(x0);
            s = ((FloatVector) hi.convert(VectorOperators.I2F, 0)).fma(x1, s);
            accD = s.fma(FloatVector.broadcast(BlockLanes.F16, BlockBytes.half(w, p)), accD);
            accM = x0.add(x1).fma(FloatVector.broadcast(BlockLanes.F16, BlockBytes.half(w, p + 2)), accM);
        }
        return VectorLaneSum.sum(accD.add(accM));
    }

    /** {@link #dot} at 8 lanes, both halves of the code bytes spelt out. */
    private static float dot8(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        FloatVector accD = FloatVector.zero(F);
        FloatVector accM = FloatVector.zero(F);
        IntVector iota = IntVector.zero(I).addIndex(1);
        IntVector shiftLow0 = iota;
        IntVector shiftLow1 = iota.add(8);
        IntVector shiftHigh0 = iota.add(12);
        IntVector shiftHigh1 = iota.add(20);
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * SIZE;
            int xo = xOff + b * BLOCK;
            int qh = BlockBytes.int32(w, p + 4);
            IntVector low = IntVector.broadcast(I, qh << 4);
            IntVector high = IntVector.broadcast(I, qh);
            IntVector q0 = (IntVector) ByteVector.fromArray(BlockLanes.B, w, p + 8).convertShape(VectorOperators.B2I, I, 0);
            IntVector q1 = (IntVector) ByteVector.fromArray(BlockLanes.B, w, p + 16).convertShape(VectorOperators.B2I, I, 0);
            IntVector l0 = q0.and(0xF).or(low.lanewise(VectorOperators.LSHR, shiftLow0).and(0x10));
            IntVector l1 = q1.and(0xF).or(low.lanewise(VectorOperators.LSHR, shiftLow1).and(0x10));
            IntVector h0 = q0.lanewise(VectorOperators.LSHR, 4).and(0xF)
                    .or(high.lanewise(VectorOperators.LSHR, shiftHigh0).and(0x10));
            IntVector h1 = q1.lanewise(VectorOperators.LSHR, 4).and(0xF)
                    .or(high.lanewise(VectorOperators.LSHR, shiftHigh1).and(0x10));
            FloatVector x0 = FloatVector.fromArray(F, x, xo);
            FloatVector x1 = FloatVector.fromArray(F, x, xo + 8);
            FloatVector x2 = FloatVector.fromArray(F, x, xo + 16);
            FloatVector x3 = FloatVector.fromArray(F, x, xo + 24);
            FloatVector s = ((FloatVector) l0.convert(VectorOperators.I2F, 0)).mul(x0);
            s = ((FloatVector) l1.convert(VectorOperators.I2F, 0)).fma(x1, s);
            s = ((FloatVector) h0.convert(VectorOperators.I2F, 0)).fma(x2, s);
            s = ((FloatVector) h1.convert(VectorOperators.I2F, 0)).fma(x3, s);
            accD = s.fma(FloatVector.broadcast(F, BlockBytes.half(w, p)), accD);
            accM = x0.add(x1).add(x2.add(x3)).fma(FloatVector.broadcast(F, BlockBytes.half(w, p + 2)), accM);
        }
        return VectorLaneSum.sum(accD.add(accM));
    }

    private static float dotAnyWidth(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        FloatVector accD = FloatVector.zero(F);
        FloatVector accM = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * SIZE;
            int xo = xOff + b * BLOCK;
            int qh = BlockBytes.int32(w, p + 4);
            FloatVector s = FloatVector.zero(F);
            FloatVector sx = FloatVector.zero(F);
            for (int c = 0; c < 16; c += L) {
                IntVector q = BlockLanes.ints(w, p + 8 + c);
                FloatVector xlo = FloatVector.fromArray(F, x, xo + c);
                FloatVector xhi = FloatVector.fromArray(F, x, xo + 16 + c);
                s = BlockLanes.floats(Q5Lanes.low(q, qh, c)).fma(xlo, s);
                s = BlockLanes.floats(Q5Lanes.high(q, qh, c)).fma(xhi, s);
                sx = sx.add(xlo).add(xhi);
            }
            accD = s.fma(FloatVector.broadcast(F, BlockBytes.half(w, p)), accD);
            accM = sx.fma(FloatVector.broadcast(F, BlockBytes.half(w, p + 2)), accM);
        }
        return VectorLaneSum.sum(accD.add(accM));
    }

    /** {@link Q51Format#dotQ8}: Σ q·a per block in int lanes, the minimum's term in scalar. */
    static float dotQ8(byte[] w, int wOff, Q8Activations a, int aOff, int blocks) {
        byte[] codes = a.codes();
        float[] scales = a.scales();
        int[] sums = a.sums();
        int first = aOff / Q8Activations.BLOCK;
        FloatVector acc = FloatVector.zero(F);
        float mins = 0f;
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * SIZE;
            int ao = aOff + b * BLOCK;
            int qh = BlockBytes.int32(w, p + 4);
            IntVector s = IntVector.zero(I);
            for (int c = 0; c < 16; c += L) {
                IntVector q = BlockLanes.ints(w, p + 8 + c);
                IntVector lo = Q5Lanes.low(q, qh, c);
                IntVector hi = Q5Lanes.high(q, qh, c);
                s = s.add(lo.mul(BlockLanes.ints(codes, ao + c))).add(hi.mul(BlockLanes.ints(codes, ao + 16 + c)));
            }
            float da = scales[first + b];
            acc = BlockLanes.floats(s).fma(FloatVector.broadcast(F, BlockBytes.half(w, p) * da), acc);
            mins += BlockBytes.half(w, p + 2) * da * sums[first + b];
        }
        return VectorLaneSum.sum(acc) + mins;
    }
}
