package io.djlint4.engine;

import static io.djlint4.engine.EngineOracle.floats;
import static io.djlint4.engine.EngineOracle.longs;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reductions, arg-extrema, softmax, normalisation, top-k and sorting match PyTorch along every
 * axis.
 */
class ReductionConformanceTest {

    private static final float[] A = floats(11, 60);
    private static final long[] L = longs(12, 60, 1000);

    private static EngineOracle oracle;

    @BeforeAll
    static void start() {
        oracle = new EngineOracle();
    }

    @AfterAll
    static void stop() {
        oracle.close();
    }

    private static NDArray a(NDManager m) {
        return m.create(A, new Shape(3, 4, 5));
    }

    private static NDArray l(NDManager m) {
        return m.create(L, new Shape(3, 4, 5));
    }

    @Test
    void sumMaxMinMean() {
        oracle.check("sum all", m -> a(m).sum());
        oracle.check("sum long all", m -> l(m).sum());
        oracle.check("sum bool", m -> l(m).gt(0).sum());
        oracle.check("sum int32 axis", m -> l(m).toType(DataType.INT32, false).sum(new int[] {1}));
        oracle.check("max all", m -> a(m).max());
        oracle.check("min long all", m -> l(m).min());
        oracle.check("mean all", m -> a(m).mean());
        for (int axis = -3; axis < 3; axis++) {
            int[] axes = {axis};
            oracle.check("sum axis " + axis, m -> a(m).sum(axes));
            oracle.check("sum keepDims " + axis, m -> a(m).sum(axes, true));
            oracle.check("max axis " + axis, m -> a(m).max(axes));
            oracle.check("min keepDims " + axis, m -> l(m).min(axes, true));
            oracle.check("mean axis " + axis, m -> a(m).mean(axes));
        }
        oracle.check("sum two axes", m -> a(m).sum(new int[] {0, 2}));
        oracle.check("sum two axes keepDims", m -> l(m).sum(new int[] {2, 0}, true));
        try (NDManager m = NDManager.newBaseManager("Int4")) {
            assertThrows(IllegalArgumentException.class, () -> l(m).mean(), "mean of integers");
        }
    }

    @Test
    void argExtrema() {
        oracle.check("argMax all", m -> a(m).argMax());
        oracle.check("argMin all", m -> l(m).argMin());
        for (int axis = -3; axis < 3; axis++) {
            int ax = axis;
            oracle.check("argMax " + axis, m -> a(m).argMax(ax));
            oracle.check("argMin " + axis, m -> a(m).argMin(ax));
            oracle.check("argMax long " + axis, m -> l(m).argMax(ax));
        }
        oracle.check("argMax first of ties", m -> m.create(new float[] {1, 3, 3, 2}).argMax());
        oracle.check("argMax NaN wins", m -> m.create(new float[] {1, Float.NaN, 3}).argMax(0));
        oracle.check("argMax scalar", m -> m.create(2.5f).argMax());
    }

    @Test
    void softmaxFamily() {
        for (int axis = -3; axis < 3; axis++) {
            int ax = axis;
            oracle.check("softmax " + axis, m -> a(m).softmax(ax));
            oracle.check("logSoftmax " + axis, m -> a(m).logSoftmax(ax));
            oracle.check(
                    "softmax double " + axis,
                    m -> a(m).toType(DataType.FLOAT64, false).softmax(ax));
        }
        oracle.check("softmax large logits", m -> a(m).mul(300).softmax(-1));
        oracle.check("normalize default", m -> a(m).normalize());
        oracle.check("normalize p1 axis1", m -> a(m).normalize(1, 1));
        oracle.check("normalize p2 axis2", m -> a(m).normalize(2, 2));
        oracle.check("normalize p3 axis0", m -> a(m).normalize(3, 0, 1e-12));
        oracle.check("normalize zero line", m -> m.zeros(new Shape(2, 3)).normalize(2, 1));
    }

    @Test
    void topK() {
        for (int axis = -3; axis < 3; axis++) {
            int ax = axis;
            oracle.checkList("topK largest " + axis, m -> a(m).topK(2, ax, true, true));
            oracle.checkList("topK smallest " + axis, m -> a(m).topK(3, ax, false, true));
            oracle.checkList("topK long " + axis, m -> l(m).topK(1, ax, true, true));
        }
        oracle.checkList("topK default", m -> a(m).topK(3, -1));
        oracle.checkList("topK all", m -> a(m).topK(5, -1, true, true));
        oracle.checkList(
                "topK unsorted, long lines",
                m -> m.create(floats(13, 2 * 700), new Shape(2, 700)).topK(4, -1, true, false));
        oracle.checkList("topK k=0", m -> a(m).topK(0, 1, true, true));
        for (int n : new int[] {4, 9, 24, 100, 257}) {
            for (int k : new int[] {1, 2, 3, 4}) {
                float[] data = floats(n * 31L + k, 3 * n);
                long[] ties = longs(n * 17L + k, 3 * n, 3);
                for (boolean largest : new boolean[] {true, false}) {
                    for (boolean sorted : new boolean[] {true, false}) {
                        String label =
                                String.format(
                                        " n=%d k=%d largest=%b sorted=%b", n, k, largest, sorted);
                        oracle.checkList(
                                "topK order" + label,
                                m -> m.create(data, new Shape(3, n)).topK(k, 1, largest, sorted));
                        oracle.checkList(
                                "topK ties" + label,
                                m -> m.create(ties, new Shape(3, n)).topK(k, 1, largest, sorted));
                    }
                }
            }
        }
        float[] withNan = floats(14, 30);
        withNan[3] = Float.NaN;
        withNan[17] = Float.NaN;
        oracle.checkList("topK NaN largest", m -> m.create(withNan).topK(4, 0, true, false));
        oracle.checkList("topK NaN smallest", m -> m.create(withNan).topK(4, 0, false, true));
        try (NDManager m = NDManager.newBaseManager("Int4")) {
            assertThrows(IllegalArgumentException.class, () -> a(m).topK(6, -1));
        }
    }

    @Test
    void sortAndArgSort() {
        for (int axis = -3; axis < 3; axis++) {
            int ax = axis;
            oracle.check("sort " + axis, m -> a(m).sort(ax));
            oracle.check("argSort asc " + axis, m -> a(m).argSort(ax));
            oracle.check("argSort desc " + axis, m -> a(m).argSort(ax, false));
            oracle.check("sort long " + axis, m -> l(m).sort(ax));
        }
        oracle.check("sort default", m -> a(m).sort());
        oracle.check("argSort default", m -> l(m).argSort());
        oracle.checkList(
                "sort keeps NaN last",
                m -> new NDList(m.create(new float[] {2, Float.NaN, -1, 5}).sort()));
    }
}
