package io.djlint4.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The grouped products give every group of rows, bit for bit, what it gets alone, whatever the
 * other groups: decode rows (groups of one) next to prefill rows (groups of several), all small,
 * all large. Runtime smoothing of a group from its first row equals smoothing it alone.
 */
class GroupedProductTest {

    private static final RowGroups[] GROUPINGS = {
        RowGroups.ofSizes(5, 1, 2, 7, 1), RowGroups.uniform(4, 1), RowGroups.ofSizes(3, 6), RowGroups.single(2)
    };

    @Test
    void int4PerOutputChannelGroupsEqualEachGroupAlone() {
        Random rnd = new Random(3);
        int out = 40;
        int in = 300;
        PackedInt4Matrix w = PackedInt4Matrix.quantize(TestArrays.gaussian(rnd, out * in), out, in, 0, true);
        float[] bias = TestArrays.gaussian(rnd, out);
        for (RowGroups groups : GROUPINGS) {
            float[] x = TestArrays.gaussian(rnd, groups.rows() * in);
            float[] y = new float[groups.rows() * out];
            Int4Matmul.matmul(x, groups, w, bias, y);
            assertEachGroupAlone(groups, x, in, y, out, (a, n, r) -> Int4Matmul.matmul(a, n, w, bias, r));
        }
    }

    @Test
    void int4PerInputChannelGroupsEqualEachGroupAlone() {
        Random rnd = new Random(4);
        int out = 64;
        int in = 96;
        PackedInt4PerIcMatrix w = PackedInt4PerIcMatrix.quantize(TestArrays.gaussian(rnd, out * in), out, in, 32, false);
        for (RowGroups groups : GROUPINGS) {
            float[] x = TestArrays.gaussian(rnd, groups.rows() * in);
            float[] y = new float[groups.rows() * out];
            Int4Matmul.matmul(x, groups, w, null, y);
            assertEachGroupAlone(groups, x, in, y, out, (a, n, r) -> Int4Matmul.matmul(a, n, w, null, r));
        }
    }

    @Test
    void fp4GroupsEqualEachGroupAlone() {
        Random rnd = new Random(5);
        int out = 33;
        int in = 600;
        int[] shifts = new int[in];
        PackedFp4Matrix w = PackedFp4Matrix.quantize(
                TestArrays.gaussian(rnd, out * in), out, in, Fp4Format.E2M1, null, shifts, NibbleTiles.DEFAULT_WIDTH);
        for (RowGroups groups : GROUPINGS) {
            float[] x = TestArrays.gaussian(rnd, groups.rows() * in);
            float[] y = new float[groups.rows() * out];
            Fp4Matmul.matmul(tokens(x, groups.rows(), in), groups, w, null, y);
            assertEachGroupAlone(groups, x, in, y, out, (a, n, r) -> Fp4Matmul.matmul(tokens(a, n, in), w, null, r));
        }
    }

    @Test
    void runtimeSmoothingOfAGroupEqualsTheGroupAlone() {
        Random rnd = new Random(6);
        int cols = 48;
        float[] x = TestArrays.gaussian(rnd, 9 * cols);
        RuntimeSmoothing inPlace = new RuntimeSmoothing(4, cols, 16, 4);
        inPlace.compute(x, 3, 4, 0.9f);
        float[] assembled = new float[9 * cols];
        inPlace.dequantize(assembled, 3);
        RuntimeSmoothing alone = new RuntimeSmoothing(4, cols, 16, 4);
        alone.compute(Arrays.copyOfRange(x, 3 * cols, 7 * cols), 4, 0.9f);
        assertArrayEquals(alone.dequantize(), Arrays.copyOfRange(assembled, 3 * cols, 7 * cols));
    }

    @Test
    void emptyGroupsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RowGroups.ofSizes(2, 0, 1));
        assertThrows(IllegalArgumentException.class, RowGroups::ofSizes);
    }

    private static Fp4Tokens tokens(float[] x, int rows, int in) {
        Fp4Tokens t = new Fp4Tokens(rows, in, Fp4Format.E2M1);
        t.quantize(x, rows, 0.25f, null);
        return t;
    }

    private static void assertEachGroupAlone(
            RowGroups groups, float[] x, int in, float[] y, int out, GroupSizeDispatch.Product alone) {
        for (int g = 0; g < groups.count(); g++) {
            int first = groups.start(g);
            int rows = groups.size(g);
            float[] expected = new float[rows * out];
            alone.apply(Arrays.copyOfRange(x, first * in, (first + rows) * in), rows, expected);
            assertArrayEquals(expected, Arrays.copyOfRange(y, first * out, (first + rows) * out), groups + ", group " + g);
        }
    }
}
