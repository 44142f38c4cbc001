package io.djlint4.engine;

import static io.djlint4.engine.EngineOracle.floats;
import static io.djlint4.engine.EngineOracle.longs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reading and writing through NDIndex (integers, slices, ellipsis, new axes, index arrays,
 * boolean masks, picks), gather, take, booleanMask and where match PyTorch.
 */
class IndexingConformanceTest {

    private static final float[] A = floats(31, 120);

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
        return m.create(A, new Shape(2, 3, 4, 5));
    }

    private static NDArray ids(NDManager m, long... values) {
        return m.create(values);
    }

    @Test
    void basicIndexing() {
        String[] indices = {
            "1", "-1", ":, -1, :", "1, 2", "1:, ::2", "-2:", ":1, 1:3, 2:", "::3", "..., 0",
            "0, ..., 1:3", ":, :, :, :", "5:", "1:1", "-10:2", "0, 1, 2, 3", "null, 1", ":, null, 0"
        };
        for (String index : indices) {
            oracle.check("get " + index, m -> a(m).get(index));
        }
        oracle.check(
                "get long ids", m -> m.create(longs(32, 12, 9), new Shape(2, 6)).get("{},:", 1));
        oracle.check("get with step arg", m -> a(m).get("{}:{}:{}", 0, 2, 1));
        oracle.check("get empty index", m -> a(m).get(new NDIndex()));
        oracle.check("get scalar of scalar", m -> m.create(3.5f).get(new NDIndex()));
        oracle.check("get long...", m -> a(m).get(1, 2));
        try (NDManager m = NDManager.newBaseManager("Int4")) {
            NDArray x = a(m);
            assertThrows(IndexOutOfBoundsException.class, () -> x.get("2"));
            assertThrows(IllegalArgumentException.class, () -> x.get("0, 0, 0, 0, 0"));
            assertEquals(x.get(1, 2, 3, 4).getFloat(), A[119]);
            assertEquals(A[5 * 4 * 3 + 5 * 4 + 5 + 2], x.getFloat(1, 1, 1, 2));
        }
    }

    @Test
    void advancedIndexing() {
        check("take rows", m -> a(m).get(ids(m, 1, 0, 1)));
        check("take negative", m -> a(m).get("{}", ids(m, -1, 0)));
        check("take 2-D index", m -> a(m).get(m.create(new long[] {0, 1, 1, 0}, new Shape(2, 2))));
        check("take on axis 1", m -> a(m).get(":, {}", ids(m, 2, 0)));
        check("take after ellipsis", m -> a(m).get("..., {}", ids(m, 4, 4, 0)));
        check(
                "beam style gather",
                m ->
                        a(m).get(
                                "{}, {}, ...",
                                m.arange(0, 2, 1, DataType.INT64).expandDims(1).repeat(1, 3),
                                m.create(new long[] {2, 0, 0, 1, 2, 1}, new Shape(2, 3))));
        check(
                "contrastive style gather",
                m -> a(m).get("{}, {}, ...", m.arange(0, 2, 1, DataType.INT64), ids(m, 2, 1)));
        check("broadcast index arrays", m -> a(m).get("{}, {}", ids(m, 1), ids(m, 0, 2, 1)));
        check("separated arrays go first", m -> a(m).get("{}, :, {}", ids(m, 1, 0), ids(m, 3, 2)));
        check("integer between arrays", m -> a(m).get("{}, 1, {}", ids(m, 1, 0), ids(m, 3, 2)));
        check("slice then arrays", m -> a(m).get("1:, {}, {}", ids(m, 0, 2), ids(m, 3, 1)));
        check("int32 index", m -> a(m).get(":, {}", ids(m, 2, 1).toType(DataType.INT32, false)));
        check("boolean mask", m -> a(m).get(a(m).get(":, :, 0, 0").gt(0)));
        check("boolean mask full", m -> a(m).get(a(m).gt(0.5f)));
        check(
                "boolean mask after slice",
                m -> a(m).get(":, {}", m.create(new boolean[] {true, false, true})));
        check(
                "pick",
                m -> a(m).get(":, 0, 0").get(new NDIndex().addAllDim().addPickDim(ids(m, 4, 1))));
        check(
                "pick same rank",
                m -> {
                    NDArray picks = m.create(new long[] {1, 0, 3, 2}, new Shape(4, 1));
                    return a(m).get("0, 0").get(new NDIndex().addAllDim().addPickDim(picks));
                });
    }

    @Test
    void settingValues() {
        checkSet("number into slice", x -> x.set(new NDIndex("{},{}:{}", 1, 0, 2), 0));
        checkSet("number into 3-D block", x -> x.set(new NDIndex("{}, :, {}:{}", 1, 0, 3), -1));
        checkSet("number via ellipsis", x -> x.set(new NDIndex("..., 2"), 7.5f));
        checkSet("array broadcast", x -> x.set(new NDIndex(":, 1"), values(x, 33, 4, 5)));
        checkSet("leading ones", x -> x.set(new NDIndex("0, 0"), values(x, 34, 1, 4, 5)));
        checkSet("row broadcast", x -> x.set(new NDIndex("1, :, 2"), values(x, 35, 5)));
        checkSet("index array", x -> x.set(new NDIndex("{}", ids(x.getManager(), 1)), 3f));
        checkSet(
                "two index arrays",
                x -> {
                    NDManager m = x.getManager();
                    NDIndex index = new NDIndex("{}, {}", ids(m, 0, 1), ids(m, 2, 0));
                    x.set(index, values(x, 36, 4, 5));
                });
        checkSet("boolean mask", x -> x.set(x.gt(0), 0f));
        checkSet("boolean mask via NDArray index", x -> x.set(x.lt(-1), 9f));
        checkSet("setScalar", x -> x.setScalar(new NDIndex(1, 2, 3, 4), 42));
        checkSet("function", x -> x.set(new NDIndex("0"), v -> v.mul(2)));
        checkSet(
                "seq batcher merge",
                x -> {
                    NDArray source = x.get("0:1, :, 0:3").add(1);
                    x.set(new NDIndex("{}:, :, {}:{}, ...", 1, 1, 4), source);
                });
        oracle.check(
                "long target, float value",
                m -> {
                    NDArray x = m.create(longs(37, 6, 5), new Shape(2, 3));
                    x.set(new NDIndex("0"), m.create(new float[] {1.7f, -2.2f, 3.9f}));
                    return x;
                });
        oracle.check(
                "attention mask style",
                m -> {
                    NDArray mask = m.ones(new Shape(1, 5), DataType.INT64).repeat(0, 3);
                    mask.set(new NDIndex("{},{}:{}", 1, 0, 2), 0);
                    return mask;
                });
        try (NDManager m = NDManager.newBaseManager("Int4")) {
            NDArray x = a(m);
            assertThrows(IllegalArgumentException.class, () -> x.setScalar(new NDIndex("0"), 1));
        }
    }

    @Test
    void gatherTakeMaskWhere() {
        oracle.check(
                "gather axis 1",
                m -> {
                    NDArray index = m.create(new long[] {3, 0, 1, 1, 2, 2}, new Shape(3, 2));
                    return m.create(floats(38, 12), new Shape(3, 4)).softmax(1).gather(index, 1);
                });
        oracle.check(
                "gather axis 0",
                m -> {
                    NDArray index = m.create(new long[] {2, 0, 1, 1}, new Shape(1, 4));
                    return m.create(floats(38, 12), new Shape(3, 4)).gather(index, 0);
                });
        oracle.check("take flat", m -> a(m).take(m.create(new long[] {0, 119, 7}, new Shape(3))));
        oracle.check("booleanMask full", m -> a(m).booleanMask(a(m).gt(0)));
        oracle.check(
                "booleanMask trailing",
                m -> {
                    NDArray mask = m.create(new boolean[] {true, false, true, true});
                    return m.create(floats(39, 12), new Shape(3, 4)).booleanMask(mask, 1);
                });
        oracle.check("where", m -> NDArrays.where(a(m).gt(0), a(m), a(m).neg()));
        oracle.check(
                "where broadcasts and promotes",
                m -> NDArrays.where(a(m).lt(0), a(m), m.create(new long[] {-3})));
    }

    private static NDArray values(NDArray like, long seed, long... dims) {
        Shape shape = new Shape(dims);
        return like.getManager().create(floats(seed, (int) shape.size()), shape);
    }

    private static void check(String name, Function<NDManager, NDArray> computation) {
        oracle.check(name, computation);
    }

    private static void checkSet(String name, Consumer<NDArray> update) {
        oracle.check(
                "set " + name,
                m -> {
                    NDArray x = a(m);
                    update.accept(x);
                    return x;
                });
    }
}
