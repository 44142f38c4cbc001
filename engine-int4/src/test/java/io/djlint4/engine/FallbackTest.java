package io.djlint4.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

import org.junit.jupiter.api.Test;

/** Operations Int4 does not implement run on PyTorch, are counted, and fail when disabled. */
class FallbackTest {

    @Test
    void unimplementedOperationsRunOnPyTorchAndAreCounted() {
        try (NDManager manager = NDManager.newBaseManager("Int4")) {
            NDArray x = manager.create(new float[] {0f, 1f, 2f, 3f}, new Shape(2, 2));
            long before = Int4NDManager.fallbackCount();
            long sinBefore = Int4NDManager.fallbackOperations().getOrDefault("sin", 0L);
            NDArray sine = x.sin();
            assertEquals(before + 1, Int4NDManager.fallbackCount());
            assertEquals(sinBefore + 1, Int4NDManager.fallbackOperations().get("sin"));
            assertEquals("PyTorch", sine.getManager().getEngine().getEngineName());
            assertEquals((float) Math.sin(3), sine.toFloatArray()[3], 1e-6);
            assertTrue(sine.getManager() == ((Int4NDManager) manager).alternativeManager());

            NDArray cumSum = x.cumSum(1);
            assertEquals(before + 2, Int4NDManager.fallbackCount());
            assertEquals(5f, cumSum.toFloatArray()[3]);

            NDArray relu = Activation.relu(x.sub(1));
            assertEquals(before + 3, Int4NDManager.fallbackCount());
            assertTrue(Int4NDManager.fallbackOperations().containsKey("relu"));
            assertEquals(2f, relu.toFloatArray()[3]);
        }
    }

    @Test
    void nativeOperationsAndExplicitCopiesAreNotCounted() {
        try (NDManager manager = NDManager.newBaseManager("Int4")) {
            NDArray x = manager.create(new float[] {1, 2, 3});
            long before = Int4NDManager.fallbackCount();
            x.toByteBuffer();
            x.add(1).softmax(0).toFloatArray();
            assertInstanceOf(Int4NDArray.class, x.exp());
            assertEquals(before, Int4NDManager.fallbackCount());
        }
    }

    @Test
    void disabledFallbackFailsClearlyAndNativeOpsStillWork() {
        System.setProperty(Int4Engine.DISABLE_ALTERNATIVE_PROPERTY, "true");
        try (NDManager manager = NDManager.newBaseManager("Int4")) {
            NDArray x = manager.create(new float[] {1, 2, 3});
            UnsupportedOperationException error =
                    assertThrows(UnsupportedOperationException.class, x::sin);
            assertTrue(
                    error.getMessage().contains("does not currently support"), error.getMessage());
            assertThrows(UnsupportedOperationException.class, () -> Activation.relu(x));
            assertEquals(6f, x.sum().getFloat());
            try (NDManager other = NDManager.newBaseManager("Int4")) {
                x.attach(other);
                assertThrows(UnsupportedOperationException.class, x::cos, "no recursion on attach");
            }
        } finally {
            System.clearProperty(Int4Engine.DISABLE_ALTERNATIVE_PROPERTY);
        }
    }
}
