package io.djlint4.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Butterflies} with the Vector API. Butterfly distances below the vector length run as one
 * scalar radix-8 pass (the same additions as three radix-2 passes, so results match the scalar
 * path bit for bit); longer distances run on whole vectors.
 */
final class VectorButterflies implements Butterflies {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    private static final ScalarButterflies SCALAR = new ScalarButterflies();

    @Override
    public void fwht(float[] v, int off, int m) {
        if (m < 8 || m < 2 * L) {
            SCALAR.fwht(v, off, m);
            return;
        }
        for (int i = off; i < off + m; i += 8) {
            radix8(v, i);
        }
        for (int h = 8; h < m; h *= 2) {
            if (h < L) {
                for (int i = 0; i < m; i += 2 * h) {
                    for (int j = off + i; j < off + i + h; j++) {
                        float u = v[j];
                        float w = v[j + h];
                        v[j] = u + w;
                        v[j + h] = u - w;
                    }
                }
                continue;
            }
            for (int i = 0; i < m; i += 2 * h) {
                for (int j = off + i; j < off + i + h; j += L) {
                    FloatVector u = FloatVector.fromArray(F, v, j);
                    FloatVector w = FloatVector.fromArray(F, v, j + h);
                    u.add(w).intoArray(v, j);
                    u.sub(w).intoArray(v, j + h);
                }
            }
        }
    }

    private static void radix8(float[] v, int i) {
        float a0 = v[i] + v[i + 1];
        float a1 = v[i] - v[i + 1];
        float a2 = v[i + 2] + v[i + 3];
        float a3 = v[i + 2] - v[i + 3];
        float a4 = v[i + 4] + v[i + 5];
        float a5 = v[i + 4] - v[i + 5];
        float a6 = v[i + 6] + v[i + 7];
        float a7 = v[i + 6] - v[i + 7];
        float b0 = a0 + a2;
        float b2 = a0 - a2;
        float b1 = a1 + a3;
        float b3 = a1 - a3;
        float b4 = a4 + a6;
        float b6 = a4 - a6;
        float b5 = a5 + a7;
        float b7 = a5 - a7;
        v[i] = b0 + b4;
        v[i + 4] = b0 - b4;
        v[i + 1] = b1 + b5;
        v[i + 5] = b1 - b5;
        v[i + 2] = b2 + b6;
        v[i + 6] = b2 - b6;
        v[i + 3] = b3 + b7;
        v[i + 7] = b3 - b7;
    }

    @Override
    public void mix(float[] h, int k, float[] src, int srcOff, int m, float[] dst, int dstOff) {
        int bound = F.loopBound(m);
        for (int a = 0; a < k; a++) {
            int b = 0;
            for (; b < bound; b += L) {
                FloatVector s = FloatVector.zero(F);
                for (int c = 0; c < k; c++) {
                    s = FloatVector.broadcast(F, h[a * k + c])
                            .fma(FloatVector.fromArray(F, src, srcOff + c * m + b), s);
                }
                s.intoArray(dst, dstOff + a * m + b);
            }
            for (; b < m; b++) {
                float s = 0f;
                for (int c = 0; c < k; c++) {
                    s = Math.fma(h[a * k + c], src[srcOff + c * m + b], s);
                }
                dst[dstOff + a * m + b] = s;
            }
        }
    }
}
