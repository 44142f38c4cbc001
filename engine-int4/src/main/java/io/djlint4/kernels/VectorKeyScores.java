package io.djlint4.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API path of {@link KeyScores}: one lane per position, multiplies and adds kept
 * apart so each lane rounds as the scalar loop does. Only loaded when {@link
 * VectorSupport#isAvailable()} is true.
 */
final class VectorKeyScores {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    /** Scores whole vectors of positions; returns the first position left for the scalar loop. */
    int scores(float[] q, int qOff, float[] kT, int kOff, int stride, int visible, int headDim, float[] scores) {
        int t = 0;
        for (; t + 2 * L <= visible; t += 2 * L) {
            FloatVector a = FloatVector.zero(F);
            FloatVector b = FloatVector.zero(F);
            for (int i = 0; i < headDim; i++) {
                FloatVector qi = FloatVector.broadcast(F, q[qOff + i]);
                int k = kOff + i * stride + t;
                a = a.add(FloatVector.fromArray(F, kT, k).mul(qi));
                b = b.add(FloatVector.fromArray(F, kT, k + L).mul(qi));
            }
            a.intoArray(scores, t);
            b.intoArray(scores, t + L);
        }
        for (; t + L <= visible; t += L) {
            FloatVector a = FloatVector.zero(F);
            for (int i = 0; i < headDim; i++) {
                a = a.add(FloatVector.fromArray(F, kT, kOff + i * stride + t).mul(FloatVector.broadcast(F, q[qOff + i])));
            }
            a.intoArray(scores, t);
        }
        return t;
    }
}
