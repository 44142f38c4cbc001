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
 * The Vector API products of {@link Q50Format}, laid out as {@link Q40Vector} with the fifth bits
 * from {@link Q5Lanes}. Only loaded when {@link VectorPath#ENABLED} is true.
 */
final class Q50Vector {

    private static final int BLOCK = Q50Format.BLOCK_SIZE;
    private static final int SIZE = Q50Format.TYPE_SIZE;

    private Q50Vector() {}

    /** Lane index k, for the fifth bit of code k. */
    private static final IntVector IOTA16 = BlockLanes.WIDE ? IntVector.zero(BlockLanes.I16).addIndex(1) : null;

    /** {@link Q50Format#dot}: per block Σ (q - 16)·x in float lanes, then one FMA by d. */
    static float dot(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        if (BlockLanes.WIDE) {
            return dot16(w, wOff, x, xOff, blocks);
        }
        return L == 8 ? dot8(w, wOff, x, xOff, blocks) : dotAnyWidth(w, wOff, x, xOff, blocks);
    }

    /**
     * {@link #dot} at 16 lanes with every vector operation written here (behind {@link Q5Lanes}
     * JDK 17's C2 left the shifts and conversions boxed: SmolLM2 Q4_K_M, whose attention
     * projections are Q5_0, decoded 5-13 tokens/s). Bit k of qh reaches bit 4 of lane k after
     * {@code (qh << 4) >>> k}, bit 16 + k after {@code qh >>> (12 + k)}.
     */
    private static float dot16(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        FloatVector acc = FloatVector.zero(BlockLanes.F16);
        IntVector shiftLow = IOTA16;
        IntVector shiftHigh = IOTA16.add(12);
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * SIZE;
            int xo = xOff + b * BLOCK;
            int qh = BlockBytes.int32(w, p + 2);
            IntVector q = (IntVector) ByteVector.fromArray(BlockLanes.B16, w, p + 6)
                    .convertShape(VectorOperators.B2I, BlockLanes.I16, 0);
            IntVector lo = q.and(0xF)
                    .or(IntVector.broadcast(BlockLanes.I16, qh << 4).lanewise(VectorOperators.LSHR, shiftLow).and(0x10));
            IntVector hi = q.lanewise(VectorOperators.LSHR, 4).and(0xF)
                    .or(IntVector.broadcast(BlockLanes.I16, qh).lanewise(VectorOperators.LSHR, shiftHigh).and(0x10));
            FloatVector s = ((FloatVector) lo.sub(16).convert(VectorOperators.I2F, 0))
                    .mul(FloatVector.fromArray(BlockLanes.F16, x, xo));
            s = ((FloatVector) hi.sub(16).convert(VectorOperators.I2F, 0))
                    .fma(FloatVector.fromArray(BlockLanes.F16, x, xo + 16), s);
            acc = s.fma(FloatVector.broadcast(BlockLanes.F16, BlockBytes.half(w, p)), acc);
        }
        return VectorLaneSum.sum(acc);
    }

    /** {@link #dot} at 8 lanes, as {@link #dot16}: both halves of the code bytes spelt out. */
    private static float dot8(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        FloatVector acc = FloatVector.zero(F);
        IntVector iota = IntVector.zero(I).addIndex(1);
        IntVector shiftLow0 = iota;
        IntVector shiftLow1 = iota.add(8);
        IntVector shiftHigh0 = iota.add(12);
        IntVector shiftHigh1 = iota.add(20);
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * SIZE;
            int xo = xOff + b * BLOCK;
            int qh = BlockBytes.int32(w, p + 2);
            IntVector low = IntVector.broadcast(I, qh << 4);
            IntVector high = IntVector.broadcast(I, qh);
            IntVector q0 = (IntVector) ByteVector.fromArray(BlockLanes.B, w, p + 6).convertShape(VectorOperators.B2I, I, 0);
            IntVector q1 = (IntVector) ByteVector.fromArray(BlockLanes.B, w, p + 14).convertShape(VectorOperators.B2I, I, 0);
            IntVector l0 = q0.and(0xF).or(low.lanewise(VectorOperators.LSHR, shiftLow0).and(0x10));
            IntVector l1 = q1.and(0xF).or(low.lanewise(VectorOperators.LSHR, shiftLow1).and(0x10));
            IntVector h0 = q0.lanewise(VectorOperators.LSHR, 4).and(0xF)
                    .or(high.lanewise(VectorOperators.LSHR, shiftHigh0).and(0x10));
            IntVector h1 = q1.lanewise(VectorOperators.LSHR, 4).and(0xF)
                    .or(high.lanewise(VectorOperators.LSHR, shiftHigh1).and(0x10));
            FloatVector s = ((FloatVector) l0.sub(16).convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(F, x, xo));
            s = ((FloatVector) l1.sub(16).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, x, xo + 8), s);
            s = ((FloatVector) h0.sub(16).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, x, xo + 16), s);
            s = ((FloatVector) h1.sub(16).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, x, xo + 24), s);
            acc = s.fma(FloatVector.broadcast(F, BlockBytes.half(w, p)), acc);
        }
        return VectorLaneSum.sum(acc);
    }

    private static float dotAnyWidth(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * SIZE;
            int xo = xOff + b * BLOCK;
            int qh = BlockBytes.int32(w, p + 2);
            FloatVector s = FloatVector.zero(F);
            for (int c = 0; c < 16; c += L) {
                IntVector q = BlockLanes.ints(w, p + 6 + c);
                FloatVector lo = BlockLanes.floats(Q5Lanes.low(q, qh, c).sub(16));
                FloatVector hi = BlockLanes.floats(Q5Lanes.high(q, qh, c).sub(16));
                s = lo.fma(FloatVector.fromArray(F, x, xo + c), s);
                s = hi.fma(FloatVector.fromArray(F, x, xo + 16 + c), s);
            }
            acc = s.fma(FloatVector.broadcast(F, BlockBytes.half(w, p)), acc);
        }
        return VectorLaneSum.sum(acc);
    }

    /** {@link Q50Format#dotQ8}: per block Σ (q - 16)·a in int lanes, scaled by d·d_a in float. */
    static float dotQ8(byte[] w, int wOff, Q8Activations a, int aOff, int blocks) {
        byte[] codes = a.codes();
        float[] scales = a.scales();
        int first = aOff / Q8Activations.BLOCK;
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * SIZE;
            int ao = aOff + b * BLOCK;
            int qh = BlockBytes.int32(w, p + 2);
            IntVector s = IntVector.zero(I);
            for (int c = 0; c < 16; c += L) {
                IntVector q = BlockLanes.ints(w, p + 6 + c);
                IntVector lo = Q5Lanes.low(q, qh, c).sub(16);
                IntVector hi = Q5Lanes.high(q, qh, c).sub(16);
                s = s.add(lo.mul(BlockLanes.ints(codes, ao + c))).add(hi.mul(BlockLanes.ints(codes, ao + 16 + c)));
            }
            float scale = BlockBytes.half(w, p) * scales[first + b];
            acc = BlockLanes.floats(s).fma(FloatVector.broadcast(F, scale), acc);
        }
        return VectorLaneSum.sum(acc);
    }
}
