package io.djlint4.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Bf16Dot} with the Vector API: a vector of packed ints gives the even columns by a left
 * shift of 16 and the odd ones by masking the low half, both then read as floats. Only loaded when
 * {@link VectorSupport#isAvailable()} is true.
 */
final class VectorBf16Dot implements Bf16Dot {

    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final int HIGH_HALF = 0xFFFF0000;

    @Override
    public float dot(float[] even, float[] odd, int xOff, int[] words, int wOff, int pairs) {
        int lanes = FLOATS.length();
        int bound = FLOATS.loopBound(pairs);
        FloatVector acc = FloatVector.zero(FLOATS);
        int p = 0;
        for (; p < bound; p += lanes) {
            IntVector v = IntVector.fromArray(INTS, words, wOff + p);
            acc = low(v).fma(FloatVector.fromArray(FLOATS, even, xOff + p),
                    high(v).fma(FloatVector.fromArray(FLOATS, odd, xOff + p), acc));
        }
        float s = VectorLaneSum.sum(acc);
        for (; p < pairs; p++) {
            int word = words[wOff + p];
            s += Float.intBitsToFloat(word << 16) * even[xOff + p] + Float.intBitsToFloat(word & HIGH_HALF) * odd[xOff + p];
        }
        return s;
    }

    @Override
    public void dot4(
            float[] even, float[] odd, int xOff, int[] words, int wOff, int wStride, int pairs, float[] out, int outOff) {
        int lanes = FLOATS.length();
        int bound = FLOATS.loopBound(pairs);
        FloatVector acc0 = FloatVector.zero(FLOATS);
        FloatVector acc1 = FloatVector.zero(FLOATS);
        FloatVector acc2 = FloatVector.zero(FLOATS);
        FloatVector acc3 = FloatVector.zero(FLOATS);
        int w1 = wOff + wStride;
        int w2 = w1 + wStride;
        int w3 = w2 + wStride;
        int p = 0;
        for (; p < bound; p += lanes) {
            FloatVector xe = FloatVector.fromArray(FLOATS, even, xOff + p);
            FloatVector xo = FloatVector.fromArray(FLOATS, odd, xOff + p);
            IntVector v0 = IntVector.fromArray(INTS, words, wOff + p);
            IntVector v1 = IntVector.fromArray(INTS, words, w1 + p);
            IntVector v2 = IntVector.fromArray(INTS, words, w2 + p);
            IntVector v3 = IntVector.fromArray(INTS, words, w3 + p);
            acc0 = low(v0).fma(xe, high(v0).fma(xo, acc0));
            acc1 = low(v1).fma(xe, high(v1).fma(xo, acc1));
            acc2 = low(v2).fma(xe, high(v2).fma(xo, acc2));
            acc3 = low(v3).fma(xe, high(v3).fma(xo, acc3));
        }
        float s0 = VectorLaneSum.sum(acc0);
        float s1 = VectorLaneSum.sum(acc1);
        float s2 = VectorLaneSum.sum(acc2);
        float s3 = VectorLaneSum.sum(acc3);
        for (; p < pairs; p++) {
            float xe = even[xOff + p];
            float xo = odd[xOff + p];
            s0 += Float.intBitsToFloat(words[wOff + p] << 16) * xe + Float.intBitsToFloat(words[wOff + p] & HIGH_HALF) * xo;
            s1 += Float.intBitsToFloat(words[w1 + p] << 16) * xe + Float.intBitsToFloat(words[w1 + p] & HIGH_HALF) * xo;
            s2 += Float.intBitsToFloat(words[w2 + p] << 16) * xe + Float.intBitsToFloat(words[w2 + p] & HIGH_HALF) * xo;
            s3 += Float.intBitsToFloat(words[w3 + p] << 16) * xe + Float.intBitsToFloat(words[w3 + p] & HIGH_HALF) * xo;
        }
        out[outOff] = s0;
        out[outOff + 1] = s1;
        out[outOff + 2] = s2;
        out[outOff + 3] = s3;
    }

    private static FloatVector low(IntVector v) {
        return v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    private static FloatVector high(IntVector v) {
        return v.and(HIGH_HALF).reinterpretAsFloats();
    }
}
