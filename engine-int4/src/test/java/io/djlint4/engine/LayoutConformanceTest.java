package io.djlint4.engine;

import static io.djlint4.engine.EngineOracle.floats;
import static io.djlint4.engine.EngineOracle.longs;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reshaping, permuting, joining, repeating, broadcasting and matrix products match PyTorch.
 */
class LayoutConformanceTest {

    private static final float[] A = floats(21, 24);
    private static final long[] L = longs(22, 24, 100);

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
        return m.create(A, new Shape(2, 3, 4));
    }

    private static NDArray l(NDManager m) {
        return m.create(L, new Shape(2, 3, 4));
    }

    @Test
    void reshapeFamily() {
        oracle.check("reshape", m -> a(m).reshape(4, 6));
        oracle.check("reshape -1", m -> a(m).reshape(-1, 2));
        oracle.check("reshape to scalar", m -> m.create(new float[] {3}).reshape(new Shape()));
        for (int axis = -4; axis <= 3; axis++) {
            int ax = axis;
            oracle.check("expandDims " + axis, m -> a(m).expandDims(ax));
        }
        oracle.check("squeeze all", m -> a(m).reshape(2, 1, 12, 1).squeeze());
        oracle.check("squeeze one", m -> a(m).reshape(2, 1, 12, 1).squeeze(1));
        oracle.check("squeeze axes", m -> a(m).reshape(1, 2, 1, 12).squeeze(new int[] {0, 2}));
        oracle.check("flatten", m -> a(m).flatten());
        oracle.check("flatten scalar", m -> m.create(5L).flatten());
        oracle.check("flatten range", m -> a(m).flatten(1, 2));
        oracle.check("flatten leading", m -> a(m).flatten(0, 1));
        try (NDManager m = NDManager.newBaseManager("Int4")) {
            assertThrows(IllegalArgumentException.class, () -> a(m).reshape(5, -1));
            assertThrows(IllegalArgumentException.class, () -> a(m).squeeze(0));
        }
    }

    @Test
    void permutations() {
        oracle.check("transpose", m -> a(m).transpose());
        oracle.check("transpose 0,2,1", m -> a(m).transpose(0, 2, 1));
        oracle.check("transpose 2,0,1", m -> l(m).transpose(2, 0, 1));
        oracle.check("transpose negative", m -> a(m).transpose(-1, 0, 1));
        oracle.check("swapAxes", m -> a(m).swapAxes(0, 2));
        oracle.check("transpose 2-D", m -> a(m).reshape(6, 4).transpose());
    }

    @Test
    void concatAndStack() {
        for (int axis = -3; axis < 3; axis++) {
            int ax = axis;
            oracle.check("concat " + axis, m -> a(m).concat(a(m).mul(2), ax));
            oracle.check("concat long " + axis, m -> l(m).concat(l(m).add(1), ax));
            oracle.check("stack " + axis, m -> a(m).stack(a(m).neg(), ax));
        }
        oracle.check("stack at end", m -> a(m).stack(a(m), 3));
        oracle.check(
                "concat uneven",
                m -> l(m).reshape(4, 6).concat(m.ones(new Shape(4, 1), DataType.INT64), 1));
        oracle.check("concat promotes", m -> l(m).concat(a(m), 0));
        oracle.check(
                "NDArrays.concat three",
                m -> NDArrays.concat(new NDList(a(m), a(m).add(1), a(m).add(2)), 1));
        oracle.check("NDArrays.concat one", m -> NDArrays.concat(new NDList(a(m))));
        oracle.check(
                "NDArrays.stack three", m -> NDArrays.stack(new NDList(l(m), l(m), l(m)), 2));
        oracle.check(
                "concat skips legacy empty",
                m -> a(m).concat(m.zeros(new Shape(0)), 0));
        try (NDManager m = NDManager.newBaseManager("Int4")) {
            NDArray other = a(m).reshape(4, 3, 2);
            assertThrows(IllegalArgumentException.class, () -> a(m).concat(other, 0));
        }
    }

    @Test
    void repeatTileBroadcast() {
        for (int axis = -3; axis < 3; axis++) {
            int ax = axis;
            oracle.check("repeat axis " + axis, m -> a(m).repeat(ax, 3));
        }
        oracle.check("repeat all", m -> a(m).repeat(2));
        oracle.check("repeat per axis", m -> l(m).repeat(new long[] {2, 1, 3}));
        oracle.check("repeat shape", m -> a(m).repeat(new Shape(4, 6, 4)));
        oracle.check("repeat zero", m -> a(m).repeat(1, 0));
        oracle.check("tile", m -> a(m).tile(2));
        oracle.check("tile per axis", m -> a(m).tile(new long[] {1, 2, 3}));
        oracle.check("tile adds axes", m -> a(m).tile(new long[] {2, 1, 1, 2}));
        oracle.check("broadcast", m -> m.create(floats(23, 4), new Shape(4)).broadcast(3, 2, 4));
        oracle.check("broadcast middle", m -> a(m).reshape(2, 1, 12).broadcast(2, 5, 12));
    }

    @Test
    void matrixProducts() {
        oracle.check("matMul 2-D", m -> matrix(m, 24, 3, 4).matMul(matrix(m, 25, 4, 5)));
        oracle.check("matMul vector-matrix", m -> vector(m, 26, 4).matMul(matrix(m, 25, 4, 5)));
        oracle.check("matMul matrix-vector", m -> matrix(m, 24, 3, 4).matMul(vector(m, 26, 4)));
        oracle.check("matMul dot", m -> vector(m, 27, 4).matMul(vector(m, 26, 4)));
        oracle.check("matMul batched broadcast", m -> a(m).matMul(matrix(m, 28, 4, 2)));
        oracle.check(
                "matMul batch broadcast both",
                m -> a(m).reshape(2, 1, 3, 4).matMul(m.create(floats(29, 24), new Shape(3, 4, 2))));
        oracle.check("matMul long", m -> l(m).reshape(6, 4).matMul(l(m).reshape(4, 6)));
        oracle.check(
                "matMul double",
                m -> {
                    NDArray x = a(m).toType(DataType.FLOAT64, false);
                    return x.matMul(x.transpose(0, 2, 1));
                });
        oracle.check(
                "batchMatMul",
                m -> a(m).batchMatMul(m.create(floats(30, 40), new Shape(2, 4, 5))));
        oracle.check(
                "contrastive cosine shape",
                m -> a(m).normalize(2, 2).batchMatMul(a(m).normalize(2, 2).transpose(0, 2, 1)));
        try (NDManager m = NDManager.newBaseManager("Int4")) {
            assertThrows(IllegalArgumentException.class, () -> a(m).batchMatMul(a(m)));
            NDArray longs = l(m).transpose(0, 2, 1);
            assertThrows(IllegalArgumentException.class, () -> a(m).matMul(longs));
        }
    }

    private static NDArray matrix(NDManager m, long seed, int rows, int columns) {
        return m.create(floats(seed, rows * columns), new Shape(rows, columns));
    }

    private static NDArray vector(NDManager m, long seed, int length) {
        return m.create(floats(seed, length), new Shape(length));
    }

    @Test
    void creationAndCopies() {
        oracle.check("arange long", m -> m.arange(0, 7, 1, DataType.INT64));
        oracle.check("arange offset", m -> m.arange(3, 11, 2, DataType.INT64));
        oracle.check("arange float", m -> m.arange(0.5f, 3.1f, 0.25f));
        oracle.check("arange int default", m -> m.arange(5));
        oracle.check("arange empty", m -> m.arange(4, 4, 1, DataType.INT64));
        oracle.check("full", m -> m.full(new Shape(2, 3), 220, DataType.INT64));
        oracle.check("full float", m -> m.full(new Shape(3), 1.5f));
        oracle.check("zeros", m -> m.zeros(new Shape(2, 0, 3), DataType.INT32));
        oracle.check("ones long", m -> m.ones(new Shape(2, 1), DataType.INT64));
        oracle.check("ones boolean", m -> m.ones(new Shape(2), DataType.BOOLEAN));
        oracle.check("create shape", m -> m.create(new Shape(0, 1), DataType.INT64));
        oracle.check("zerosLike", m -> l(m).zerosLike());
        oracle.check("onesLike", m -> a(m).onesLike());
        oracle.check("duplicate", m -> a(m).duplicate());
        oracle.check("create long[][]", m -> m.create(new long[][] {{1, 2}, {3, 4}}));
        oracle.check("create boolean", m -> m.create(new boolean[] {true, false, true}));
        oracle.check("create double", m -> m.create(new double[] {1.5, -2}));
        oracle.check("create byte", m -> m.create(new byte[] {1, -2, 3}));
        oracle.check("create int scalar", m -> m.create(7));
    }
}
