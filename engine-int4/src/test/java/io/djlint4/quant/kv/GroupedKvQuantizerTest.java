package io.djlint4.quant.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GroupedKvQuantizerTest {

    private static final int HEADS = 3;
    private static final int HD = 16;
    private static final int TOKENS = 5;

    /** Token-major rows {@code [tokens, heads*hd]}, with head 1 of every token 40x larger. */
    private static float[] rows() {
        SplittableRandom rnd = new SplittableRandom(1);
        float[] x = new float[TOKENS * HEADS * HD];
        for (int i = 0; i < x.length; i++) {
            int head = i / HD % HEADS;
            x[i] = (float) (rnd.nextGaussian() * (head == 1 ? 40 : 1));
        }
        return x;
    }

    /** The same rows as a one-sequence cache {@code [1, heads, tokens, hd]}. */
    private static float[] asCache(float[] rows) {
        float[] c = new float[rows.length];
        for (int t = 0; t < TOKENS; t++) {
            for (int h = 0; h < HEADS; h++) {
                System.arraycopy(rows, (t * HEADS + h) * HD, c, (h * TOKENS + t) * HD, HD);
            }
        }
        return c;
    }

    @Test
    void keysGetOneSymmetricGridPerTokenAndHeadWithinHalfAStep() {
        float[] x = rows();
        float[] q = x.clone();
        new GroupedKvQuantizer(HEADS, HD, KvCacheSettings.DEFAULT).quantizeKeys(q, TOKENS);
        assertEquals(TOKENS * HEADS, KvGrid.assertOnGrid(asCache(q), 1, HEADS, TOKENS, HD, false));
        for (int g = 0; g < TOKENS * HEADS; g++) {
            float amax = 0;
            for (int i = g * HD; i < (g + 1) * HD; i++) {
                amax = Math.max(amax, Math.abs(x[i]));
            }
            float s = amax / 7;
            for (int i = g * HD; i < (g + 1) * HD; i++) {
                assertTrue(Math.abs(x[i] - q[i]) <= s / 2 * (1 + 1e-5), i + ": " + x[i] + " -> " + q[i]);
            }
        }
    }

    @Test
    void perTokenValueGridIsSharedByTheHeadsAndCoarserForSmallHeads() {
        float[] x = rows();
        float[] perHead = x.clone();
        float[] perToken = x.clone();
        new GroupedKvQuantizer(HEADS, HD, KvCacheSettings.DEFAULT).quantizeValues(perHead, TOKENS);
        new GroupedKvQuantizer(HEADS, HD, new KvCacheSettings(KvCacheSettings.ValueGroups.PER_TOKEN, true, 1f))
                .quantizeValues(perToken, TOKENS);
        assertEquals(TOKENS, KvGrid.assertOnGrid(asCache(perToken), 1, HEADS, TOKENS, HD, true));
        // The 40x head sets the shared step, so the small heads of a per-token grid lose far more.
        double errHead = 0;
        double errToken = 0;
        for (int i = 0; i < x.length; i++) {
            if (i / HD % HEADS != 1) {
                errHead += Math.abs(x[i] - perHead[i]);
                errToken += Math.abs(x[i] - perToken[i]);
            }
        }
        assertTrue(errToken > 5 * errHead, errToken + " vs " + errHead);
    }

    @Test
    void eachTokenIsRoundedIndependentlyOfItsNeighbours() {
        float[] x = rows();
        float[] all = x.clone();
        GroupedKvQuantizer kv = new GroupedKvQuantizer(HEADS, HD, new KvCacheSettings(KvCacheSettings.ValueGroups.PER_TOKEN, true, 1f));
        kv.quantizeValues(all, TOKENS);
        int w = HEADS * HD;
        for (int t = 0; t < TOKENS; t++) {
            float[] one = new float[w];
            System.arraycopy(x, t * w, one, 0, w);
            kv.quantizeValues(one, 1);
            for (int i = 0; i < w; i++) {
                assertEquals(all[t * w + i], one[i]);
            }
        }
    }

    @Test
    void roundingChangesValuesAndSettingsAreChecked() {
        float[] x = rows();
        float[] q = x.clone();
        new GroupedKvQuantizer(HEADS, HD, KvCacheSettings.DEFAULT).quantizeKeys(q, TOKENS);
        int changed = 0;
        for (int i = 0; i < x.length; i++) {
            changed += x[i] != q[i] ? 1 : 0;
        }
        assertTrue(changed > x.length / 2, changed + " of " + x.length);
        assertThrows(IllegalArgumentException.class, () -> new KvCacheSettings(KvCacheSettings.ValueGroups.PER_HEAD, true, 0f));
        assertThrows(IllegalArgumentException.class, () -> new KvCacheSettings(null, true, 1f));
    }
}
