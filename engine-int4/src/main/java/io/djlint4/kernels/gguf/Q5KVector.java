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
 * The Vector API products of {@link Q5KFormat}, shaped as {@link Q4KVector}: each {@code qs} byte
 * and the matching {@code qh} byte are loaded once per pair of sub-blocks; the fifth bits are
 * shifted into place and ORed onto the nibbles. Only loaded when {@link
 * io.djlint4.kernels.VectorSupport#isAvailable()} is true.
 */
final class Q5KVector {

    private Q5KVector() {}

    /** Dequantizes in float lanes ({@code q·d·sc − dmin·m}, one FMA) and multiplies by {@code x}. */
    static float dot(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * Q5KFormat.TYPE_SIZE;
            float d = BlockBytes.half(w, p);
            float dmin = BlockBytes.half(w, p + 2);
            for (int r = 0; r < 4; r++) {
                int sm1 = KQuants.scaleMin(w, p + Q5KFormat.SCALES, 2 * r);
                int sm2 = KQuants.scaleMin(w, p + Q5KFormat.SCALES, 2 * r + 1);
                FloatVector d1 = FloatVector.broadcast(F, d * KQuants.scale(sm1));
                FloatVector m1 = FloatVector.broadcast(F, -(dmin * KQuants.min(sm1)));
                FloatVector d2 = FloatVector.broadcast(F, d * KQuants.scale(sm2));
                FloatVector m2 = FloatVector.broadcast(F, -(dmin * KQuants.min(sm2)));
                int q = p + Q5KFormat.QS + 32 * r;
                int h = p + Q5KFormat.QH;
                int xr = xOff + b * Q5KFormat.BLOCK_SIZE + 64 * r;
                // One load per step: unrolled further, the method outgrows C2's inlining budget.
                for (int i = 0; i < 32; i += BYTE_LANES) {
                    ByteVector bytes = ByteVector.fromArray(B, w, q + i);
                    ByteVector highs = ByteVector.fromArray(B, w, h + i);
                    for (int part = 0; part < PARTS; part++) {
                        IntVector c = (IntVector) bytes.convertShape(VectorOperators.B2I, I, part);
                        IntVector hb = fifthBits(highs, part, r);
                        int xi = xr + i + part * LANES;
                        acc0 = toFloat(low(c, hb)).fma(d1, m1).fma(FloatVector.fromArray(F, x, xi), acc0);
                        acc1 = toFloat(high(c, hb)).fma(d2, m2).fma(FloatVector.fromArray(F, x, xi + 32), acc1);
                    }
                }
            }
        }
        return VectorLaneSum.sum(acc0.add(acc1));
    }

    /** The {@code qh} bytes widened to int lanes, bits {@code 2r} and {@code 2r+1} moved to bits 0 and 1. */
    private static IntVector fifthBits(ByteVector qh, int part, int r) {
        return ((IntVector) qh.convertShape(VectorOperators.B2I, I, part)).lanewise(VectorOperators.LSHR, 2 * r);
    }

    /** The codes of the low-nibble sub-block: low nibble, bit 0 of {@code hb} above it. */
    private static IntVector low(IntVector c, IntVector hb) {
        return c.and(0xF).or(hb.lanewise(VectorOperators.LSHL, 4).and(16));
    }

    /** The codes of the high-nibble sub-block: high nibble, bit 1 of {@code hb} above it. */
    private static IntVector high(IntVector c, IntVector hb) {
        return c.lanewise(VectorOperators.ASHR, 4).and(0xF).or(hb.lanewise(VectorOperators.LSHL, 3).and(16));
    }

    private static FloatVector toFloat(IntVector v) {
        return (FloatVector) v.convert(VectorOperators.I2F, 0);
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
            int p = wOff + b * Q5KFormat.TYPE_SIZE;
            float d = BlockBytes.half(w, p);
            float dmin = BlockBytes.half(w, p + 2);
            for (int r = 0; r < 4; r++) {
                int sm1 = KQuants.scaleMin(w, p + Q5KFormat.SCALES, 2 * r);
                int sm2 = KQuants.scaleMin(w, p + Q5KFormat.SCALES, 2 * r + 1);
                int q = p + Q5KFormat.QS + 32 * r;
                int h = p + Q5KFormat.QH;
                int c0 = aOff + b * Q5KFormat.BLOCK_SIZE + 64 * r;
                IntVector dot0 = IntVector.zero(I);
                IntVector dot1 = IntVector.zero(I);
                for (int i = 0; i < 32; i += BYTE_LANES) {
                    ByteVector bytes = ByteVector.fromArray(B, w, q + i);
                    ByteVector highs = ByteVector.fromArray(B, w, h + i);
                    ByteVector a0 = ByteVector.fromArray(B, codes, c0 + i);
                    ByteVector a1 = ByteVector.fromArray(B, codes, c0 + 32 + i);
                    for (int part = 0; part < PARTS; part++) {
                        IntVector c = (IntVector) bytes.convertShape(VectorOperators.B2I, I, part);
                        IntVector hb = fifthBits(highs, part, r);
                        dot0 = low(c, hb).mul((IntVector) a0.convertShape(VectorOperators.B2I, I, part)).add(dot0);
                        dot1 = high(c, hb).mul((IntVector) a1.convertShape(VectorOperators.B2I, I, part)).add(dot1);
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
