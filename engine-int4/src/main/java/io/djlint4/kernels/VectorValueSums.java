package io.djlint4.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API path of {@link ValueSums}: one lane per value dimension, the running sums kept in
 * registers across positions, multiplies and adds apart so each lane rounds as the scalar loop
 * does. Only loaded when {@link VectorSupport#isAvailable()} is true.
 */
final class VectorValueSums {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    /** Sums whole vectors of dimensions, four or one at a time; returns the first dimension left. */
    int sum(float[] p, int positions, float[] values, int vOff, int headDim, float[] out, int outOff) {
        int i = 0;
        for (; i + 4 * L <= headDim; i += 4 * L) {
            FloatVector a = FloatVector.zero(F);
            FloatVector b = a;
            FloatVector c = a;
            FloatVector d = a;
            for (int t = 0; t < positions; t++) {
                float w = p[t];
                if (w == 0f) {
                    continue;
                }
                FloatVector wv = FloatVector.broadcast(F, w);
                int v = vOff + t * headDim + i;
                a = a.add(FloatVector.fromArray(F, values, v).mul(wv));
                b = b.add(FloatVector.fromArray(F, values, v + L).mul(wv));
                c = c.add(FloatVector.fromArray(F, values, v + 2 * L).mul(wv));
                d = d.add(FloatVector.fromArray(F, values, v + 3 * L).mul(wv));
            }
            a.intoArray(out, outOff + i);
            b.intoArray(out, outOff + i + L);
            c.intoArray(out, outOff + i + 2 * L);
            d.intoArray(out, outOff + i + 3 * L);
        }
        for (; i + L <= headDim; i += L) {
            FloatVector a = FloatVector.zero(F);
            for (int t = 0; t < positions; t++) {
                float w = p[t];
                if (w != 0f) {
                    a = a.add(FloatVector.fromArray(F, values, vOff + t * headDim + i).mul(FloatVector.broadcast(F, w)));
                }
            }
            a.intoArray(out, outOff + i);
        }
        return i;
    }
}
