package io.djlint4.engine;

import static io.djlint4.engine.EngineOracle.floats;
import static io.djlint4.engine.EngineOracle.longs;
import static io.djlint4.engine.EngineOracle.positiveFloats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.function.BiFunction;

/** Element-wise arithmetic, unary functions and comparisons match PyTorch, types included. */
class ArithmeticConformanceTest {

    private static final float[] A = floats(1, 24);
    private static final float[] B = floats(2, 24);
    private static final long[] L = longs(3, 24, 50);
    private static final long[] M = longs(4, 24, 50);

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

    private static NDArray b(NDManager m) {
        return m.create(B, new Shape(2, 3, 4));
    }

    private static NDArray l(NDManager m) {
        return m.create(L, new Shape(2, 3, 4));
    }

    private static NDArray m(NDManager m) {
        return m.create(M, new Shape(2, 3, 4));
    }

    @Test
    void arrayArithmeticWithBroadcasting() {
        BinaryCase[] ops = {
            new BinaryCase("add", NDArray::add),
            new BinaryCase("sub", NDArray::sub),
            new BinaryCase("mul", NDArray::mul),
            new BinaryCase("div", NDArray::div),
            new BinaryCase("maximum", NDArray::maximum),
            new BinaryCase("minimum", NDArray::minimum)
        };
        for (BinaryCase op : ops) {
            oracle.check(op.name + " same shape", m -> op.fn.apply(a(m), b(m)));
            oracle.check(
                    op.name + " [2,3,4] x [3,1]",
                    m -> op.fn.apply(a(m), m.create(floats(5, 3), new Shape(3, 1))));
            oracle.check(
                    op.name + " [4] x [2,3,4]",
                    m -> op.fn.apply(m.create(floats(6, 4), new Shape(4)), a(m)));
            oracle.check(op.name + " long x long", m -> op.fn.apply(l(m), m(m)));
            oracle.check(op.name + " long x float", m -> op.fn.apply(l(m), b(m)));
            oracle.check(
                    op.name + " float x double",
                    m -> op.fn.apply(a(m), b(m).toType(DataType.FLOAT64, false)));
            oracle.check(
                    op.name + " int32 x 0-d long",
                    m -> op.fn.apply(l(m).toType(DataType.INT32, false), m.create(7L)));
        }
    }

    @Test
    void scalarArithmeticFollowsZeroDimPromotion() {
        Number[] scalars = {3, 3L, 2.5f, 2.5d, (byte) 3};
        for (Number n : scalars) {
            String type = n.getClass().getSimpleName();
            oracle.check("float add " + type, m -> a(m).add(n));
            oracle.check("float sub " + type, m -> a(m).sub(n));
            oracle.check("float mul " + type, m -> a(m).mul(n));
            oracle.check("float div " + type, m -> a(m).div(n));
            oracle.check("long add " + type, m -> l(m).add(n));
            oracle.check("long mul " + type, m -> l(m).mul(n));
            oracle.check("long div " + type, m -> l(m).div(n));
            oracle.check("int32 sub " + type, m -> l(m).toType(DataType.INT32, false).sub(n));
            oracle.check("long maximum " + type, m -> l(m).maximum(n));
            oracle.check("float minimum " + type, m -> a(m).minimum(n));
            oracle.check("0-d long add " + type, m -> m.create(5L).add(n));
        }
    }

    @Test
    void inPlaceArithmeticUpdatesTheReceiver() {
        oracle.check("addi", m -> a(m).addi(b(m)));
        oracle.check("subi broadcast", m -> a(m).subi(m.create(floats(7, 4), new Shape(4))));
        oracle.check("muli scalar", m -> a(m).muli(0.4f));
        oracle.check("divi scalar", m -> a(m).divi(3));
        oracle.check("long subi", m -> l(m).subi(m(m)));
        oracle.check("long addi int", m -> l(m).addi(5));
        oracle.check("float addi long array", m -> a(m).addi(l(m)));
        oracle.check("negi", m -> a(m).negi());
        try (NDManager m = NDManager.newBaseManager("Int4")) {
            NDArray x = a(m);
            assertSame(x, x.addi(1), "in-place ops return the receiver");
            NDArray ids = l(m);
            assertThrows(IllegalArgumentException.class, () -> ids.divi(2), "long /= int");
            assertThrows(IllegalArgumentException.class, () -> ids.addi(0.5f), "long += float");
            NDArray small = m.create(floats(8, 4), new Shape(4));
            assertThrows(
                    IllegalArgumentException.class, () -> small.addi(a(m)), "self cannot grow");
        }
    }

    @Test
    void reversedOperationsThroughNdArrays() {
        oracle.check("rsub", m -> NDArrays.sub(5, a(m)));
        oracle.check("rdiv", m -> NDArrays.div(2f, a(m)));
        oracle.check("rsubi", m -> NDArrays.subi(3L, l(m)));
        oracle.check("add list", m -> NDArrays.add(a(m), b(m), a(m)));
        // PyTorch has no in-place reverse division, so check it by value
        try (NDManager m = NDManager.newBaseManager("Int4")) {
            NDArray x = m.create(new float[] {0.5f, -4f});
            assertSame(x, NDArrays.divi(2f, x));
            assertArrayEquals(new float[] {4f, -0.5f}, x.toFloatArray());
            NDArray ids = m.create(new long[] {1, 2});
            assertThrows(IllegalArgumentException.class, () -> NDArrays.divi(2L, ids));
        }
    }

    @Test
    void unaryFunctions() {
        oracle.check("neg", m -> a(m).neg());
        oracle.check("neg long", m -> l(m).neg());
        oracle.check("abs", m -> a(m).abs());
        oracle.check("abs long", m -> l(m).abs());
        oracle.check("square", m -> a(m).square());
        oracle.check("exp", m -> a(m).exp());
        oracle.check("exp long", m -> l(m).div(10).exp());
        oracle.check("log", m -> m.create(positiveFloats(9, 24), new Shape(24)).log());
        oracle.check("log long", m -> m.create(new long[] {1, 2, 30}).log());
        oracle.check("sqrt", m -> m.create(positiveFloats(10, 24), new Shape(24)).sqrt());
        oracle.check("exp double", m -> a(m).toType(DataType.FLOAT64, false).exp());
    }

    @Test
    void comparisonsReturnBooleans() {
        BinaryCase[] ops = {
            new BinaryCase("eq", NDArray::eq),
            new BinaryCase("neq", NDArray::neq),
            new BinaryCase("gt", NDArray::gt),
            new BinaryCase("gte", NDArray::gte),
            new BinaryCase("lt", NDArray::lt),
            new BinaryCase("lte", NDArray::lte)
        };
        for (BinaryCase op : ops) {
            oracle.check(op.name, m -> op.fn.apply(a(m), b(m)));
            oracle.check(
                    op.name + " broadcast",
                    m -> op.fn.apply(l(m), m.create(new long[] {0, 5, -3, 20})));
            oracle.check(op.name + " with self", m -> op.fn.apply(l(m), l(m)));
        }
        oracle.check("eq number", m -> l(m).eq(5));
        oracle.check("gt float number", m -> a(m).gt(0.25f));
        oracle.check("lte double number on long", m -> l(m).lte(2.5));
        oracle.check("neq on booleans", m -> l(m).gt(0).neq(l(m).lt(10)));
    }

    @Test
    void typeConversions() {
        oracle.check("float to long", m -> a(m).mul(10).toType(DataType.INT64, false));
        oracle.check("float to int32", m -> a(m).mul(10).toType(DataType.INT32, false));
        oracle.check("float to boolean", m -> a(m).toType(DataType.BOOLEAN, false));
        oracle.check("long to float", m -> l(m).toType(DataType.FLOAT32, false));
        oracle.check("long to uint8", m -> l(m).abs().toType(DataType.UINT8, false));
        oracle.check("long to int8", m -> l(m).toType(DataType.INT8, false));
        oracle.check("boolean to long", m -> l(m).gt(0).toType(DataType.INT64, false));
        oracle.check("same type copy", m -> a(m).toType(DataType.FLOAT32, true));
    }

    /** A named binary operation. */
    private static final class BinaryCase {
        final String name;
        final BiFunction<NDArray, NDArray, NDArray> fn;

        BinaryCase(String name, BiFunction<NDArray, NDArray, NDArray> fn) {
            this.name = name;
            this.fn = fn;
        }
    }
}
