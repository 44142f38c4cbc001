package io.djlint4.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Test;

/** Random arrays are made natively (no fallback) and repeat under the same engine seed. */
class RandomArraysTest {

    @Test
    void seededRandomNormalAndUniformRepeatAndRunNatively() {
        Engine engine = Engine.getEngine("Int4");
        try (NDManager manager = NDManager.newBaseManager("Int4")) {
            long fallbacks = Int4NDManager.fallbackCount();
            engine.setRandomSeed(42);
            float[] normal = manager.randomNormal(new Shape(1000)).toFloatArray();
            float[] uniform = manager.randomUniform(-2, 3, new Shape(10, 100)).toFloatArray();
            long[] integers = manager.randomInteger(5, 9, new Shape(200), DataType.INT64).toLongArray();
            engine.setRandomSeed(42);
            assertArrayEquals(normal, manager.randomNormal(new Shape(1000)).toFloatArray());
            assertArrayEquals(uniform, manager.randomUniform(-2, 3, new Shape(10, 100)).toFloatArray());
            assertArrayEquals(
                    integers, manager.randomInteger(5, 9, new Shape(200), DataType.INT64).toLongArray());
            assertEquals(fallbacks, Int4NDManager.fallbackCount());

            double mean = 0;
            for (float v : normal) {
                mean += v / normal.length;
            }
            assertEquals(0, mean, 0.15);
            for (float v : uniform) {
                assertTrue(v >= -2 && v < 3, "uniform value " + v);
            }
            for (long v : integers) {
                assertTrue(v >= 5 && v < 9, "integer " + v);
            }
            NDArray scaled = manager.randomNormal(10, 0.5f, new Shape(3), DataType.FLOAT64);
            assertInstanceOf(Int4NDArray.class, scaled);
            assertEquals(DataType.FLOAT64, scaled.getDataType());
        }
    }
}
