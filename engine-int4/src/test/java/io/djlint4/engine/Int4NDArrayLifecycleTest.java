package io.djlint4.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

/** Ownership, scopes, buffers, close/detach/attach and storage sharing of Int4 arrays. */
class Int4NDArrayLifecycleTest {

    @Test
    void resultsBelongToTheReceiversManager() {
        try (NDManager base = NDManager.newBaseManager("Int4");
                NDManager other = base.newSubManager()) {
            NDArray x = base.create(new float[] {1, 2, 3});
            NDArray y = other.create(new float[] {4, 5, 6});
            assertSame(base, x.add(y).getManager());
            assertSame(other, y.add(x).getManager());
            assertSame(base, x.topK(1, 0).get(1).getManager());
            assertSame(other, x.get(other, new ai.djl.ndarray.index.NDIndex("0:2")).getManager());
            assertTrue(base.getManagedArrays().contains(x));
        }
    }

    @Test
    void closingAManagerClosesItsArraysAndSubManagers() {
        NDManager base = NDManager.newBaseManager("Int4");
        NDManager child = base.newSubManager();
        NDArray x = base.create(new long[] {1, 2});
        NDArray y = child.create(new long[] {3});
        NDManager alternative = ((Int4NDManager) base).alternativeManager();
        assertTrue(alternative.isOpen());
        base.close();
        assertTrue(x.isReleased());
        assertTrue(y.isReleased());
        assertFalse(child.isOpen());
        assertFalse(alternative.isOpen(), "the PyTorch manager closes with its Int4 manager");
        assertThrows(IllegalStateException.class, x::getShape);
        assertThrows(IllegalStateException.class, x::toLongArray);
        assertThrows(IllegalStateException.class, () -> base.create(new float[] {1}));
    }

    @Test
    void systemManagerCannotBeClosed() {
        Int4NDManager system = Int4NDManager.getSystemManager();
        system.close();
        assertTrue(system.isOpen());
        assertTrue(system.alternativeManager().isOpen());
    }

    @Test
    void scopesCloseTemporariesButNotUnregisteredArrays() {
        try (NDManager manager = NDManager.newBaseManager("Int4")) {
            NDArray outside = manager.create(new float[] {1, 2});
            NDArray temporary;
            NDArray kept;
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                temporary = outside.mul(2).exp();
                kept = outside.add(1).reshape(2, 1);
                NDScope.unregister(kept);
            }
            assertTrue(temporary.isReleased());
            assertFalse(kept.isReleased());
            assertFalse(outside.isReleased());
        }
    }

    @Test
    void toByteBufferReturnsFreshNativeOrderCopies() {
        try (NDManager manager = NDManager.newBaseManager("Int4")) {
            NDArray x = manager.create(new float[] {1.5f, -2f, 3f});
            for (boolean direct : new boolean[] {false, true}) {
                ByteBuffer first = x.toByteBuffer(direct);
                assertEquals(direct, first.isDirect());
                assertEquals(ByteOrder.nativeOrder(), first.order());
                assertEquals(0, first.position());
                assertEquals(12, first.remaining());
                assertEquals(-2f, first.asFloatBuffer().get(1));
                first.putFloat(0, 99f);
                ByteBuffer second = x.toByteBuffer(direct);
                assertNotSame(first, second);
                assertEquals(1.5f, second.asFloatBuffer().get(0), "no view of the storage");
            }
            assertArrayEquals(new float[] {1.5f, -2f, 3f}, x.toFloatArray());
        }
    }

    @Test
    void createReadsBuffersAsDjlEnginesDo() {
        try (NDManager manager = NDManager.newBaseManager("Int4")) {
            ByteBuffer bigEndian = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN);
            bigEndian.order(ByteOrder.nativeOrder()).putLong(0, 42L);
            bigEndian.order(ByteOrder.BIG_ENDIAN);
            NDArray raw = manager.create(bigEndian, new Shape(1), DataType.INT64);
            assertArrayEquals(new long[] {42}, raw.toLongArray(), "raw bytes in native order");
            IntBuffer ints = IntBuffer.wrap(new int[] {7, 8, 9});
            ints.position(1);
            NDArray widened = manager.create(ints, new Shape(2), DataType.INT64);
            assertArrayEquals(new long[] {8, 9}, widened.toLongArray(), "converted by value");
            assertEquals(1, ints.position(), "the caller's buffer is not consumed");
            NDArray fromLongs = manager.create(LongBuffer.wrap(new long[] {1, 2}), new Shape(2));
            assertEquals(DataType.INT64, fromLongs.getDataType());
            FloatBuffer floats = FloatBuffer.wrap(new float[] {1, 2, 3, 4});
            assertEquals(new Shape(2, 2), manager.create(floats, new Shape(2, 2)).getShape());
            assertThrows(
                    UnsupportedOperationException.class,
                    () -> manager.zeros(new Shape(2), DataType.FLOAT16));
        }
    }

    @Test
    void detachedArraysOutliveTheirManagerAndStillFallBack() {
        NDManager manager = NDManager.newBaseManager("Int4");
        NDArray x = manager.create(new float[] {0f, 1f});
        x.detach();
        assertSame(Int4NDManager.getSystemManager(), x.getManager());
        manager.close();
        assertFalse(x.isReleased());
        NDArray sine = x.sin();
        assertEquals((float) Math.sin(1), sine.toFloatArray()[1], 1e-6);
        sine.close();
        x.close();
        assertTrue(x.isReleased());
    }

    @Test
    void attachMovesOwnershipAndKeepsFallbackWorking() {
        NDManager first = NDManager.newBaseManager("Int4");
        try (NDManager second = NDManager.newBaseManager("Int4");
                NDManager torch = NDManager.newBaseManager("PyTorch")) {
            NDArray x = first.create(new float[] {0.5f, 2f});
            x.attach(second);
            first.close();
            assertFalse(x.isReleased());
            assertSame(second, x.getManager());
            x.attach(torch);
            assertSame(torch, x.getManager());
            NDArray cosine = x.cos();
            assertEquals("PyTorch", cosine.getManager().getEngine().getEngineName());
            assertEquals((float) Math.cos(2), cosine.toFloatArray()[1], 1e-6);
            NDArray doubled = x.mul(2);
            assertInstanceOf(Int4NDArray.class, doubled, "native ops stay native");
            assertSame(torch, doubled.getManager());
        }
    }

    @Test
    void tempAttachReturnsTheArray() {
        try (NDManager owner = NDManager.newBaseManager("Int4")) {
            NDArray x = owner.create(new long[] {5});
            try (NDManager borrower = owner.newSubManager()) {
                x.tempAttach(borrower);
                assertSame(borrower, x.getManager());
            }
            assertFalse(x.isReleased());
            assertSame(owner, x.getManager());
        }
    }

    @Test
    void internAndSetReplaceContent() {
        try (NDManager manager = NDManager.newBaseManager("Int4")) {
            NDArray x = manager.create(new float[] {1, 2});
            NDArray replacement = manager.create(new long[] {7, 8, 9});
            x.intern(replacement);
            assertTrue(replacement.isReleased());
            assertEquals(DataType.INT64, x.getDataType());
            assertArrayEquals(new long[] {7, 8, 9}, x.toLongArray());
            x.set(new long[] {4, 5, 6});
            assertArrayEquals(new long[] {4, 5, 6}, x.toLongArray());
            assertThrows(IllegalArgumentException.class, () -> x.set(new long[] {1}));
            assertTrue(x.toString().contains("int64"), x.toString());
        }
    }

    @Test
    void reshapeResultsAreViewsLikePyTorch() {
        try (NDManager manager = NDManager.newBaseManager("Int4")) {
            NDArray x = manager.create(new long[] {1, 2, 3, 4});
            NDArray view = x.reshape(2, 2);
            view.addi(10);
            assertArrayEquals(new long[] {11, 12, 13, 14}, x.toLongArray());
            NDArray copy = x.duplicate();
            copy.subi(1);
            assertArrayEquals(new long[] {11, 12, 13, 14}, x.toLongArray());
            view.close();
            assertArrayEquals(new long[] {11, 12, 13, 14}, x.toLongArray(), "closing a view");
        }
    }

    @Test
    void typedAccessorsAndWrapping() {
        try (Int4NDManager manager = (Int4NDManager) NDManager.newBaseManager("Int4")) {
            float[] data = {1, 2, 3, 4, 5, 6};
            Int4NDArray wrapped = manager.wrap(data, new Shape(2, 3));
            assertEquals(new Shape(2, 3), wrapped.getShape());
            assertEquals(6f, wrapped.getFloat(1, 2));
            Int4NDArray wrappedLongs = manager.wrap(new long[] {3, 1}, new Shape(2));
            assertArrayEquals(new long[] {3, 1}, wrappedLongs.toLongArray());
            assertThrows(IllegalStateException.class, wrapped::toLongArray);
            NDArray flags = manager.create(new float[] {0, 1, -1}).toType(DataType.BOOLEAN, false);
            assertArrayEquals(new boolean[] {false, true, true}, flags.toBooleanArray());
            assertArrayEquals(new int[] {3}, manager.create(new int[] {3}).toIntArray());
            assertArrayEquals(
                    new double[] {0.5}, manager.create(new double[] {0.5}).toDoubleArray());
            assertEquals(3L, manager.create(new long[] {1, 3}).getLong(1));
            assertSame(wrapped, manager.from(wrapped));
            NDList list = new NDList(wrapped);
            assertEquals(1, list.size());
        }
    }

    @Test
    void fromCopiesForeignArrays() {
        try (NDManager manager = NDManager.newBaseManager("Int4");
                NDManager torch = NDManager.newBaseManager("PyTorch")) {
            NDArray foreign = torch.create(new float[] {1, 2, 3}, new Shape(3, 1));
            foreign.setName("w");
            NDArray copy = manager.from(foreign);
            assertInstanceOf(Int4NDArray.class, copy);
            assertEquals("w", copy.getName());
            assertEquals(new Shape(3, 1), copy.getShape());
            assertArrayEquals(foreign.toFloatArray(), copy.toFloatArray());
            assertTrue(copy.contentEquals(manager.create(new float[] {1, 2, 3}, new Shape(3, 1))));
        }
    }
}
