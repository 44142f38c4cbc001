package io.djlint4.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RopeLayoutPermutationTest {

    @Test
    void rowsMoveAsSpecified() {
        // 2 heads of dim 4, 1 column: value = row index.
        float[] interleaved = {0, 1, 2, 3, 4, 5, 6, 7};
        // Rotate-half row j = interleaved row 2j, row D/2 + j = interleaved row 2j + 1.
        float[] half = {0, 2, 1, 3, 4, 6, 5, 7};
        assertArrayEquals(half, RopeLayoutPermutation.interleavedToHalf(interleaved, 2, 4, 1));
        assertArrayEquals(interleaved, RopeLayoutPermutation.halfToInterleaved(half, 2, 4, 1));
    }

    @Test
    void wholeRowsMoveAndTheInverseRestores() {
        int heads = 3;
        int d = 8;
        int cols = 5;
        float[] w = new float[heads * d * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = i;
        }
        float[] p = RopeLayoutPermutation.interleavedToHalf(w, heads, d, cols);
        // Head 1, rotate-half row 5 (= D/2 + 1) comes from interleaved row 3 of that head.
        for (int c = 0; c < cols; c++) {
            assertArrayEquals(new float[] {w[((8 + 3) * cols) + c]}, new float[] {p[((8 + 5) * cols) + c]});
        }
        assertArrayEquals(w, RopeLayoutPermutation.halfToInterleaved(p, heads, d, cols));
    }

    @Test
    void rejectsMismatchedSizes() {
        assertThrows(IllegalArgumentException.class, () -> RopeLayoutPermutation.interleavedToHalf(new float[10], 2, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> RopeLayoutPermutation.interleavedToHalf(new float[6], 2, 3, 1));
    }
}
