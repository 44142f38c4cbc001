package io.djlint4.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Scores over dimension-major keys equal the plain per-key loop bit for bit. */
class KeyScoresTest {

    @Test
    void scoresEqualThePlainLoopForEveryRunLength() {
        Random rnd = new Random(12);
        int headDim = 24;
        int positions = 53; // off every vector width
        int base = 7;
        float[] keys = new float[base + positions * headDim];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = (float) rnd.nextGaussian() * 3;
        }
        float[] q = new float[5 + headDim];
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) rnd.nextGaussian();
        }
        float[] kT = new float[positions * headDim];
        KeyScores.transpose(keys, base, positions, headDim, kT);
        for (int visible : new int[] {1, 8, 16, 33, positions}) {
            float[] scores = new float[positions];
            KeyScores.scores(q, 5, kT, positions, visible, headDim, scores);
            float[] direct = new float[positions];
            KeyScores.scoresPositionMajor(q, 5, keys, base, visible, headDim, direct);
            for (int t = 0; t < visible; t++) {
                float plain = 0f;
                for (int i = 0; i < headDim; i++) {
                    plain += q[5 + i] * keys[base + t * headDim + i];
                }
                assertEquals(Float.floatToIntBits(plain), Float.floatToIntBits(scores[t]), "visible " + visible + ", t " + t);
                assertEquals(Float.floatToIntBits(plain), Float.floatToIntBits(direct[t]),
                        "position-major, visible " + visible + ", t " + t);
            }
        }
    }

    @Test
    void scoresInsideALargerArrayReadTheirRowsAtTheStride() {
        Random rnd = new Random(13);
        int headDim = 24;
        int stride = 64; // a cache's capacity, larger than the positions in use
        int visible = 37;
        int kOff = 2 * headDim * stride; // the third key head
        float[] cache = new float[3 * headDim * stride];
        for (int i = 0; i < cache.length; i++) {
            cache[i] = (float) rnd.nextGaussian();
        }
        float[] q = new float[headDim];
        for (int i = 0; i < headDim; i++) {
            q[i] = (float) rnd.nextGaussian();
        }
        float[] scores = new float[visible];
        KeyScores.scores(q, 0, cache, kOff, stride, visible, headDim, scores);
        for (int t = 0; t < visible; t++) {
            float plain = 0f;
            for (int i = 0; i < headDim; i++) {
                plain += q[i] * cache[kOff + i * stride + t];
            }
            assertEquals(Float.floatToIntBits(plain), Float.floatToIntBits(scores[t]), "t " + t);
        }
    }
}
