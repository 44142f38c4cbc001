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
 * The Vector API products of {@link Q6KFormat}, one group of 32 values (see the layout there) at a
 * time: its {@code ql} bytes give a nibble, its {@code qh} bytes two bits, the shifts depending on
 * the group. The loop over groups stays a loop, not unrolled by hand: C2 stops inlining once a
 * method grows past its node budget, and every vector then crosses calls boxed. A load of at most
 * 16 bytes stays inside one sub-block of 16, so one scale serves it. Only loaded when {@link
 * io.djlint4.kernels.VectorSupport#isAvailable()} is true.
 */
final class Q6KVector {

    private Q6KVector() {}

    /**
     * The signed codes {@code q − 32} of group {@code g}: nibble {@code g / 2} of {@code low}
     * below bits {@code 2g..2g+1} of {@code high}, both sign-extended bytes.
     */
    private static IntVector code(IntVector low, IntVector high, int g) {
        IntVector nibble = low.lanewise(VectorOperators.ASHR, 4 * (g >> 1)).and(0xF);
        IntVector top = high.lanewise(VectorOperators.ASHR, 2 * g).and(3).lanewise(VectorOperators.LSHL, 4);
        return nibble.or(top).sub(32);
    }

    private static IntVector ints(ByteVector v, int part) {
        return (IntVector) v.convertShape(VectorOperators.B2I, I, part);
    }

    /** Dequantizes in float lanes ({@code (q − 32)·d·sc}) and multiplies by {@code x}. */
    static float dot(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * Q6KFormat.TYPE_SIZE;
            float d = BlockBytes.half(w, p + Q6KFormat.D);
            for (int n = 0; n < 2; n++) {
                int qh = p + Q6KFormat.QH + 32 * n;
                for (int g = 0; g < 4; g++) {
                    int ql = p + 64 * n + 32 * (g & 1);
                    int sc = p + Q6KFormat.SCALES + 8 * n + 2 * g;
                    int xg = xOff + b * Q6KFormat.BLOCK_SIZE + 128 * n + 32 * g;
                    // Two loads per step, two accumulators: the FMA chains overlap.
                    for (int i = 0; i < 32; i += 2 * BYTE_LANES) {
                        ByteVector low0 = ByteVector.fromArray(B, w, ql + i);
                        ByteVector low1 = ByteVector.fromArray(B, w, ql + i + BYTE_LANES);
                        ByteVector high0 = ByteVector.fromArray(B, w, qh + i);
                        ByteVector high1 = ByteVector.fromArray(B, w, qh + i + BYTE_LANES);
                        FloatVector s0 = FloatVector.broadcast(F, d * w[sc + (i >> 4)]);
                        FloatVector s1 = FloatVector.broadcast(F, d * w[sc + ((i + BYTE_LANES) >> 4)]);
                        for (int part = 0; part < PARTS; part++) {
                            int x0 = xg + i + part * LANES;
                            FloatVector w0 = toFloat(code(ints(low0, part), ints(high0, part), g)).mul(s0);
                            FloatVector w1 = toFloat(code(ints(low1, part), ints(high1, part), g)).mul(s1);
                            acc0 = w0.fma(FloatVector.fromArray(F, x, x0), acc0);
                            acc1 = w1.fma(FloatVector.fromArray(F, x, x0 + BYTE_LANES), acc1);
                        }
                    }
                }
            }
        }
        return VectorLaneSum.sum(acc0.add(acc1));
    }

    private static FloatVector toFloat(IntVector v) {
        return (FloatVector) v.convert(VectorOperators.I2F, 0);
    }

    /**
     * Integer products per lane, times the sub-block's scale, summed over each group (one
     * activation block of 32, two sub-blocks), then one conversion and FMA with {@code d·d_a}.
     */
    static float dotQ8(byte[] w, int wOff, Q8Activations a, int aOff, int blocks) {
        byte[] codes = a.codes();
        float[] scales = a.scales();
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * Q6KFormat.TYPE_SIZE;
            float d = BlockBytes.half(w, p + Q6KFormat.D);
            for (int n = 0; n < 2; n++) {
                int qh = p + Q6KFormat.QH + 32 * n;
                for (int g = 0; g < 4; g++) {
                    int ql = p + 64 * n + 32 * (g & 1);
                    int sc = p + Q6KFormat.SCALES + 8 * n + 2 * g;
                    int c = aOff + b * Q6KFormat.BLOCK_SIZE + 128 * n + 32 * g;
                    IntVector dot0 = IntVector.zero(I);
                    IntVector dot1 = IntVector.zero(I);
                    for (int i = 0; i < 32; i += 2 * BYTE_LANES) {
                        ByteVector low0 = ByteVector.fromArray(B, w, ql + i);
                        ByteVector low1 = ByteVector.fromArray(B, w, ql + i + BYTE_LANES);
                        ByteVector high0 = ByteVector.fromArray(B, w, qh + i);
                        ByteVector high1 = ByteVector.fromArray(B, w, qh + i + BYTE_LANES);
                        ByteVector a0 = ByteVector.fromArray(B, codes, c + i);
                        ByteVector a1 = ByteVector.fromArray(B, codes, c + i + BYTE_LANES);
                        int s0 = w[sc + (i >> 4)];
                        int s1 = w[sc + ((i + BYTE_LANES) >> 4)];
                        for (int part = 0; part < PARTS; part++) {
                            IntVector q0 = code(ints(low0, part), ints(high0, part), g);
                            IntVector q1 = code(ints(low1, part), ints(high1, part), g);
                            dot0 = q0.mul(ints(a0, part)).mul(s0).add(dot0);
                            dot1 = q1.mul(ints(a1, part)).mul(s1).add(dot1);
                        }
                    }
                    acc = toFloat(dot0.add(dot1))
                            .fma(FloatVector.broadcast(F, d * scales[c / Q8Activations.BLOCK]), acc);
                }
            }
        }
        return VectorLaneSum.sum(acc);
    }
}
