package io.djlint4.kernels.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.djlint4.kernels.RowGroups;
import io.djlint4.model.DenseLinear;
import io.djlint4.model.GgufBlockLinear;
import io.djlint4.model.LinearLayer;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Layers on GGUF blocks give every group of rows, bit for bit, what it gets alone: the decode
 * step of several sequences runs them all in one pass over the weights.
 */
class GroupedBlockProductTest {

    private static final RowGroups[] GROUPINGS = {
        RowGroups.uniform(5, 1), RowGroups.ofSizes(1, 2, 1), RowGroups.ofSizes(4, 1, 2), RowGroups.single(3)
    };

    static Stream<BlockFormat> formats() {
        return BlockFormats.all().stream();
    }

    @ParameterizedTest
    @MethodSource("formats")
    void blockLayersGiveEachGroupItsRowsAlone(BlockFormat f) {
        int out = 37;
        int cols = f.blockSize() * 3;
        GgufMatrix w = GgufMatmulTest.randomMatrix(f, out, cols, 8);
        float[] bias = gaussian(new Random(9), out);
        for (boolean q8 : new boolean[] {false, true}) {
            assertEachGroupAlone(new GgufBlockLinear(w, bias, q8), f.typeName() + (q8 ? " q8" : ""));
        }
    }

    @Test
    void theEightBitClassifierGivesEachGroupItsRowsAlone() {
        int out = 45;
        int in = 64;
        Random rnd = new Random(10);
        assertEachGroupAlone(new DenseLinear(gaussian(rnd, out * in), gaussian(rnd, out), out, in).toInt8(), "int8");
    }

    private static void assertEachGroupAlone(LinearLayer layer, String what) {
        Random rnd = new Random(11);
        int in = layer.inFeatures();
        int out = layer.outFeatures();
        for (RowGroups groups : GROUPINGS) {
            float[] x = gaussian(rnd, groups.rows() * in);
            float[] y = new float[groups.rows() * out];
            layer.forward(x, groups, y);
            for (int g = 0; g < groups.count(); g++) {
                int first = groups.start(g);
                int rows = groups.size(g);
                float[] alone = new float[rows * out];
                layer.forward(Arrays.copyOfRange(x, first * in, (first + rows) * in), rows, alone);
                assertArrayEquals(alone, Arrays.copyOfRange(y, first * out, (first + rows) * out),
                        what + " " + groups + ", group " + g);
            }
        }
    }

    private static float[] gaussian(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }
}
