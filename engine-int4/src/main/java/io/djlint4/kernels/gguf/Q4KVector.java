package io.djlint4.kernels.gguf;

import static io.djlint4.kernels.gguf.KVectors.B;
import static io.djlint4.kernels.gguf.KVectors.BYTE_LANES;
import static io.djlint4.kernels.gguf.KVectors.F;
import static io.djlint4.kernels.gguf.KVectors.I;
import static io.djlint4.kernels.gguf.KVectors.LANES;
import static io.djlint4.kernels.gguf.KVectors.PARTS;

import io.djlint4.kernels.VectorLaneSum;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The Vector API products of {@link Q4KFormat}. Each {@code qs} byte is loaded once and feeds two
 * sub-blocks (low and high nibble), each with its own accumulator so consecutive FMAs do not wait
 * on each other; sub-block scales are broadcast, so lanes are summed only once per row. Only
 * loaded when {@link io.djlint4.kernels.VectorSupport#isAvailable()} is true.
 */
final class Q4KVector {

    private Q4KVector() {}

    /** Dequantizes in float lanes ({@code q·d·sc − dmin·m}, one FMA) and multiplies by {@code x}. */
    static float dot(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        FloatVector acc3 = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * Q4KFormat.TYPE_SIZE;
            float d = BlockBytes.half(w, p);
            float dmin = BlockBytes.half(w, p + 2);
            for (int r = 0; r < 4; r++) {
                int sm1 = KQuants.scaleMin(w, p + Q4KFormat.SCALES, 2 * r);
                int sm2 = KQuants.scaleMin(w, p + Q4KFormat.SCALES, 2 * r + 1);
                FloatVector d1 = FloatVector.broadcast(F, d * KQuants.scale(sm1));
                FloatVector m1 = FloatVector.broadcast(F, -(dmin * KQuants.min(sm1)));
                FloatVector d2 = FloatVector.broadcast(F, d * KQuants.scale(sm2));
                FloatVector m2 = FloatVector.broadcast(F, -(dmin * KQuants.min(sm2)));
                int q = p + Q4KFormat.QS + 32 * r;
                int xr = xOff + b * Q4KFormat.BLOCK_SIZE + 64 * r;
                // Two loads per step, four accumulators: the FMA chains overlap.
                for (int i = 0; i < 32; i += 2 * BYTE_LANES) {
                    ByteVector bytes0 = ByteVector.fromArray(B, w, q + i);
                    ByteVector bytes1 = ByteVector.fromArray(B, w, q + i + BYTE_LANES);
                    for (int part = 0; part < PARTS; part++) {
                        IntVector c0 = (IntVector) bytes0.convertShape(VectorOperators.B2I, I, part);
                        IntVector c1 = (IntVector) bytes1.convertShape(VectorOperators.B2I, I, part);
                        int x0 = xr + i + part * LANES;
                        int x1 = x0 + BYTE_LANES;
                        acc0 = low(c0).fma(d1, m1).fma(FloatVector.fromArray(F, x, x0), acc0);
                        acc1 = high(c0).fma(d2, m2).fma(FloatVector.fromArray(F, x, x0 + 32), acc1);
                        acc2 = low(c1).fma(d1, m1).fma(FloatVector.fromArray(F, x, x1), acc2);
                        acc3 = high(c1).fma(d2, m2).fma(FloatVector.fromArray(F, x, x1 + 32), acc3);
                    }
                }
            }
        }
        return VectorLaneSum.sum(acc0.add(acc1).add(acc2.add(acc3)));
    }

    /** The low nibbles of bytes widened to int lanes, as floats. */
    private static FloatVector low(IntVector c) {
        return (FloatVector) c.and(0xF).convert(VectorOperators.I2F, 0);
    }

    /** The high nibbles of bytes widened (sign-extended) to int lanes, as floats. */
    private static FloatVector high(IntVector c) {
        return (FloatVector) c.lanewise(VectorOperators.ASHR, 4).and(0xF).convert(VectorOperators.I2F, 0);
    }

    /**
     * Integer products of codes per lane over each sub-block, then one conversion and FMA with
     * {@code d_a·d·sc} per sub-block; the min terms need only the activation code sums, in scalar.
     */
    static float dotQ8(byte[] w, int wOff, Q8Activations a, int aOff, int blocks) {
        byte[] codes = a.codes();
        float[] scales = a.scales();
        int[] sums = a.sums();
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        float mins = 0f;
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * Q4KFormat.TYPE_SIZE;
            float d = BlockBytes.half(w, p);
            float dmin = BlockBytes.half(w, p + 2);
            for (int r = 0; r < 4; r++) {
                int sm1 = KQuants.scaleMin(w, p + Q4KFormat.SCALES, 2 * r);
                int sm2 = KQuants.scaleMin(w, p + Q4KFormat.SCALES, 2 * r + 1);
                int q = p + Q4KFormat.QS + 32 * r;
                int c0 = aOff + b * Q4KFormat.BLOCK_SIZE + 64 * r;
                IntVector dot0 = IntVector.zero(I);
                IntVector dot1 = IntVector.zero(I);
                for (int i = 0; i < 32; i += BYTE_LANES) {
                    ByteVector bytes = ByteVector.fromArray(B, w, q + i);
                    ByteVector a0 = ByteVector.fromArray(B, codes, c0 + i);
                    ByteVector a1 = ByteVector.fromArray(B, codes, c0 + 32 + i);
                    for (int part = 0; part < PARTS; part++) {
                        IntVector c = (IntVector) bytes.convertShape(VectorOperators.B2I, I, part);
                        IntVector v0 = (IntVector) a0.convertShape(VectorOperators.B2I, I, part);
                        IntVector v1 = (IntVector) a1.convertShape(VectorOperators.B2I, I, part);
                        dot0 = c.and(0xF).mul(v0).add(dot0);
                        dot1 = c.lanewise(VectorOperators.ASHR, 4).and(0xF).mul(v1).add(dot1);
                    }
                }
                int ab = c0 / Q8Activations.BLOCK;
                float da0 = scales[ab];
                float da1 = scales[ab + 1];
                acc0 = ((FloatVector) dot0.convert(VectorOperators.I2F, 0))
                        .fma(FloatVector.broadcast(F, da0 * (d * KQuants.scale(sm1))), acc0);
                acc1 = ((FloatVector) dot1.convert(VectorOperators.I2F, 0))
                        .fma(FloatVector.broadcast(F, da1 * (d * KQuants.scale(sm2))), acc1);
                mins += da0 * (dmin * KQuants.min(sm1)) * sums[ab] + da1 * (dmin * KQuants.min(sm2)) * sums[ab + 1];
            }
        }
        return VectorLaneSum.sum(acc0.add(acc1)) - mins;
    }
}
