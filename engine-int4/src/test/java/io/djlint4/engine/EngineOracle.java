package io.djlint4.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import java.util.Random;
import java.util.function.Function;

/**
 * Runs one computation on an Int4 manager and on a PyTorch manager and checks that Int4
 * computed it natively and produced the same shape, type and values as PyTorch.
 */
final class EngineOracle implements AutoCloseable {

    private static final double RTOL = 1e-5;
    private static final double ATOL = 1e-6;

    private final NDManager int4 = NDManager.newBaseManager("Int4");
    private final NDManager torch = NDManager.newBaseManager("PyTorch");

    /**
     * Checks a computation returning one array.
     *
     * @param name what is computed (for failure messages)
     * @param computation builds inputs on the given manager and computes
     */
    void check(String name, Function<NDManager, NDArray> computation) {
        checkList(name, m -> new NDList(computation.apply(m)));
    }

    /**
     * Checks a computation returning several arrays.
     *
     * @param name what is computed
     * @param computation builds inputs on the given manager and computes
     */
    void checkList(String name, Function<NDManager, NDList> computation) {
        try (NDManager int4Scope = int4.newSubManager();
                NDManager torchScope = torch.newSubManager()) {
            long fallbacks = Int4NDManager.fallbackCount();
            NDList actual = computation.apply(int4Scope);
            assertEquals(
                    fallbacks,
                    Int4NDManager.fallbackCount(),
                    name + ": fell back to PyTorch " + Int4NDManager.fallbackOperations());
            NDList expected = computation.apply(torchScope);
            assertEquals(expected.size(), actual.size(), name + ": result count");
            for (int i = 0; i < expected.size(); i++) {
                assertInstanceOf(Int4NDArray.class, actual.get(i), name + ": not an Int4 result");
                assertMatches(name + "[" + i + "]", expected.get(i), actual.get(i));
            }
        }
    }

    /**
     * Checks that an array matches an expected one in shape, type and values.
     *
     * @param name label for failures
     * @param expected the expected array (any engine)
     * @param actual the actual array
     */
    static void assertMatches(String name, NDArray expected, NDArray actual) {
        assertEquals(expected.getShape(), actual.getShape(), name + ": shape");
        assertEquals(expected.getDataType(), actual.getDataType(), name + ": data type");
        if (expected.getDataType().isFloating()) {
            double[] e = expected.toType(DataType.FLOAT64, false).toDoubleArray();
            double[] a = actual.toType(DataType.FLOAT64, false).toDoubleArray();
            for (int i = 0; i < e.length; i++) {
                boolean same =
                        (Double.isNaN(e[i]) && Double.isNaN(a[i]))
                                || e[i] == a[i]
                                || Math.abs(e[i] - a[i]) <= ATOL + RTOL * Math.abs(e[i]);
                if (!same) {
                    fail(name + ": element " + i + " expected " + e[i] + " but was " + a[i]);
                }
            }
        } else {
            assertArrayEquals(
                    expected.toType(DataType.INT64, false).toLongArray(),
                    actual.toType(DataType.INT64, false).toLongArray(),
                    name + ": values");
        }
    }

    /**
     * Returns seeded uniform floats in [-2, 2) with no repeated values.
     *
     * @param seed the seed
     * @param count how many
     * @return the values
     */
    static float[] floats(long seed, int count) {
        Random random = new Random(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = random.nextFloat() * 4 - 2 + i * 1e-6f;
        }
        return values;
    }

    /**
     * Returns seeded floats in [0.1, 3.1), for functions of positive arguments.
     *
     * @param seed the seed
     * @param count how many
     * @return the values
     */
    static float[] positiveFloats(long seed, int count) {
        float[] values = floats(seed, count);
        for (int i = 0; i < count; i++) {
            values[i] = Math.abs(values[i]) + 0.1f;
        }
        return values;
    }

    /**
     * Returns seeded longs in [-bound, bound).
     *
     * @param seed the seed
     * @param count how many
     * @param bound the bound
     * @return the values
     */
    static long[] longs(long seed, int count, int bound) {
        Random random = new Random(seed);
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            values[i] = random.nextInt(2 * bound) - bound;
        }
        return values;
    }

    @Override
    public void close() {
        int4.close();
        torch.close();
    }
}
