package io.djlint4.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatDot} with the Vector API at the widest species the CPU offers. Only loaded when
 * {@link VectorSupport#isAvailable()} is true.
 */
final class VectorFloatDot implements FloatDot {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int lanes = SPECIES.length();
        int bound = SPECIES.loopBound(n);
        FloatVector acc = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i < bound; i += lanes) {
            FloatVector va = FloatVector.fromArray(SPECIES, a, aOff + i);
            FloatVector vb = FloatVector.fromArray(SPECIES, b, bOff + i);
            acc = va.fma(vb, acc);
        }
        float s = VectorLaneSum.sum(acc);
        for (; i < n; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    @Override
    public void dot4(
            float[] a, int aOff, float[] b, int bOff, int bStride, int n, float[] out, int outOff) {
        int lanes = SPECIES.length();
        int bound = SPECIES.loopBound(n);
        FloatVector acc0 = FloatVector.zero(SPECIES);
        FloatVector acc1 = FloatVector.zero(SPECIES);
        FloatVector acc2 = FloatVector.zero(SPECIES);
        FloatVector acc3 = FloatVector.zero(SPECIES);
        int b1 = bOff + bStride;
        int b2 = b1 + bStride;
        int b3 = b2 + bStride;
        int i = 0;
        for (; i < bound; i += lanes) {
            FloatVector va = FloatVector.fromArray(SPECIES, a, aOff + i);
            acc0 = va.fma(FloatVector.fromArray(SPECIES, b, bOff + i), acc0);
            acc1 = va.fma(FloatVector.fromArray(SPECIES, b, b1 + i), acc1);
            acc2 = va.fma(FloatVector.fromArray(SPECIES, b, b2 + i), acc2);
            acc3 = va.fma(FloatVector.fromArray(SPECIES, b, b3 + i), acc3);
        }
        float s0 = VectorLaneSum.sum(acc0);
        float s1 = VectorLaneSum.sum(acc1);
        float s2 = VectorLaneSum.sum(acc2);
        float s3 = VectorLaneSum.sum(acc3);
        for (; i < n; i++) {
            float x = a[aOff + i];
            s0 += x * b[bOff + i];
            s1 += x * b[b1 + i];
            s2 += x * b[b2 + i];
            s3 += x * b[b3 + i];
        }
        out[outOff] = s0;
        out[outOff + 1] = s1;
        out[outOff + 2] = s2;
        out[outOff + 3] = s3;
    }
}
