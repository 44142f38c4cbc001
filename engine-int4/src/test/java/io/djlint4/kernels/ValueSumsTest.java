package io.djlint4.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Attention's weighted value sums equal the plain per-position loop bit for bit. */
class ValueSumsTest {

    @Test
    void sumsEqualThePlainLoopForHeadSizesOffTheVectorWidths() {
        Random rnd = new Random(21);
        for (int headDim : new int[] {8, 24, 64, 80, 128}) {
            int positions = 45;
            int vOff = 3;
            float[] values = new float[vOff + positions * headDim];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) rnd.nextGaussian() * 2;
            }
            float[] p = new float[positions];
            for (int t = 0; t < positions; t++) {
                p[t] = t % 7 == 3 ? 0f : rnd.nextFloat(); // zero weights are skipped
            }
            float[] out = new float[5 + headDim];
            out[4] = 99f;
            ValueSums.sum(p, positions, values, vOff, headDim, out, 5);
            assertEquals(99f, out[4], "written before the head");
            for (int i = 0; i < headDim; i++) {
                float plain = 0f;
                for (int t = 0; t < positions; t++) {
                    if (p[t] != 0f) {
                        plain += p[t] * values[vOff + t * headDim + i];
                    }
                }
                assertEquals(Float.floatToIntBits(plain), Float.floatToIntBits(out[5 + i]), "headDim " + headDim + ", i " + i);
            }
        }
    }
}
