package io.djlint4.engine;

import ai.djl.ndarray.types.DataType;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

/**
 * The elements of an Int4 array: one typed Java heap array in row-major order.
 *
 * <p>Element access through {@code double}/{@code long} lets the kernels stay type-generic;
 * {@link #array()} exposes the primitive array for bulk copies with {@link System#arraycopy}.
 * Several arrays may share one storage (reshape-style views), exactly as PyTorch views share
 * memory.
 */
abstract class Storage {

    /**
     * Returns whether Int4 keeps arrays of the given type natively.
     *
     * @param type the data type
     * @return true for FLOAT32, FLOAT64, INT32, INT64, INT8, UINT8 and BOOLEAN
     */
    static boolean supports(DataType type) {
        switch (type) {
            case FLOAT32:
            case FLOAT64:
            case INT32:
            case INT64:
            case INT8:
            case UINT8:
            case BOOLEAN:
                return true;
            default:
                return false;
        }
    }

    /**
     * Allocates a zero-filled storage.
     *
     * @param type the element type
     * @param size the number of elements
     * @return the storage
     */
    static Storage allocate(DataType type, int size) {
        switch (type) {
            case FLOAT32:
                return new FloatStorage(new float[size]);
            case FLOAT64:
                return new DoubleStorage(new double[size]);
            case INT32:
                return new IntStorage(new int[size]);
            case INT64:
                return new LongStorage(new long[size]);
            case INT8:
            case UINT8:
            case BOOLEAN:
                return new ByteStorage(new byte[size], type);
            default:
                throw unsupported(type);
        }
    }

    /**
     * Copies {@code size} elements out of a buffer, starting at its position, without moving it.
     *
     * <p>A {@link ByteBuffer} is read as raw bytes in native order whatever its declared order,
     * which is what DJL's own engines do; a typed buffer is read by value and converted.
     *
     * @param data the buffer
     * @param type the element type of the result
     * @param size the number of elements
     * @return a new storage
     */
    static Storage copyOf(Buffer data, DataType type, int size) {
        if (data instanceof ByteBuffer) {
            ByteBuffer bytes = ((ByteBuffer) data).duplicate().order(ByteOrder.nativeOrder());
            Storage storage = allocate(type, size);
            storage.readNative(bytes);
            return storage;
        }
        DataType bufferType = DataType.fromBuffer(data);
        Storage storage = allocate(bufferType, size);
        storage.readTyped(data);
        return bufferType == type ? storage : storage.convertTo(type);
    }

    /**
     * Builds the error thrown for element types Int4 does not store.
     *
     * @param type the data type
     * @return the exception
     */
    static UnsupportedOperationException unsupported(DataType type) {
        return new UnsupportedOperationException(
                "Int4 arrays hold FLOAT32, FLOAT64, INT32, INT64, INT8, UINT8 and BOOLEAN, not "
                        + type);
    }

    /**
     * Returns the element type.
     *
     * @return the element type
     */
    abstract DataType dataType();

    /**
     * Returns the number of elements.
     *
     * @return the number of elements
     */
    abstract int size();

    /**
     * Returns the backing primitive array (live, not a copy).
     *
     * @return the primitive array
     */
    abstract Object array();

    /**
     * Reads an element as a double.
     *
     * @param index the element index
     * @return the value
     */
    abstract double getDouble(int index);

    /**
     * Reads an element as a long; floating values are truncated towards zero, as a C cast does.
     *
     * @param index the element index
     * @return the value
     */
    abstract long getLong(int index);

    /**
     * Writes an element from a double, casting to the element type.
     *
     * @param index the element index
     * @param value the value
     */
    abstract void setDouble(int index, double value);

    /**
     * Writes an element from a long, wrapping to the element width.
     *
     * @param index the element index
     * @param value the value
     */
    abstract void setLong(int index, long value);

    /**
     * Returns a new storage holding the elements at the given offsets, in order.
     *
     * @param offsets element offsets into this storage
     * @return the gathered storage
     */
    abstract Storage gather(int[] offsets);

    /**
     * Writes all elements into a native-order buffer at its position.
     *
     * @param target the buffer
     */
    abstract void writeNative(ByteBuffer target);

    /**
     * Fills this storage from raw native-order bytes at the buffer's position.
     *
     * @param source the buffer
     */
    abstract void readNative(ByteBuffer source);

    /**
     * Fills this storage from a typed buffer of the matching type.
     *
     * @param source the typed buffer
     */
    abstract void readTyped(Buffer source);

    /**
     * Returns whether the elements are floating point.
     *
     * @return true for FLOAT32 and FLOAT64
     */
    boolean isFloating() {
        return dataType().isFloating();
    }

    /**
     * Returns a copy of this storage.
     *
     * @return the copy
     */
    Storage copy() {
        Storage copy = allocate(dataType(), size());
        copyRange(this, 0, copy, 0, size());
        return copy;
    }

    /**
     * Returns the elements converted to another type (a copy, even for the same type).
     *
     * @param target the element type of the result
     * @return the converted storage
     */
    Storage convertTo(DataType target) {
        if (target == dataType()) {
            return copy();
        }
        Storage result = allocate(target, size());
        boolean viaDouble = isFloating();
        for (int i = 0; i < size(); i++) {
            if (viaDouble) {
                result.setDouble(i, getDouble(i));
            } else {
                result.setLong(i, getLong(i));
            }
        }
        return result;
    }

    /**
     * Sets every element to one value.
     *
     * @param value the value, cast to the element type
     */
    void fill(double value) {
        for (int i = 0; i < size(); i++) {
            setDouble(i, value);
        }
    }

    /**
     * Returns a fresh buffer with all elements in native byte order, positioned at 0.
     *
     * @param direct whether to allocate a direct buffer
     * @return the buffer
     */
    ByteBuffer toByteBuffer(boolean direct) {
        int bytes = size() * dataType().getNumOfBytes();
        ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(bytes) : ByteBuffer.allocate(bytes);
        buffer.order(ByteOrder.nativeOrder());
        writeNative(buffer);
        buffer.rewind();
        return buffer;
    }

    /**
     * Copies a run of elements between storages of the same type.
     *
     * @param source the source storage
     * @param sourcePos the first source element
     * @param target the target storage
     * @param targetPos the first target element
     * @param length the number of elements
     */
    static void copyRange(
            Storage source, int sourcePos, Storage target, int targetPos, int length) {
        System.arraycopy(source.array(), sourcePos, target.array(), targetPos, length);
    }

    /** FLOAT32 elements in a {@code float[]}. */
    static final class FloatStorage extends Storage {

        private final float[] data;

        FloatStorage(float[] data) {
            this.data = data;
        }

        float[] values() {
            return data;
        }

        @Override
        DataType dataType() {
            return DataType.FLOAT32;
        }

        @Override
        int size() {
            return data.length;
        }

        @Override
        Object array() {
            return data;
        }

        @Override
        double getDouble(int index) {
            return data[index];
        }

        @Override
        long getLong(int index) {
            return (long) data[index];
        }

        @Override
        void setDouble(int index, double value) {
            data[index] = (float) value;
        }

        @Override
        void setLong(int index, long value) {
            data[index] = value;
        }

        @Override
        Storage gather(int[] offsets) {
            float[] out = new float[offsets.length];
            for (int i = 0; i < offsets.length; i++) {
                out[i] = data[offsets[i]];
            }
            return new FloatStorage(out);
        }

        @Override
        void writeNative(ByteBuffer target) {
            target.asFloatBuffer().put(data);
        }

        @Override
        void readNative(ByteBuffer source) {
            source.asFloatBuffer().get(data);
        }

        @Override
        void readTyped(Buffer source) {
            ((FloatBuffer) source).duplicate().get(data);
        }
    }

    /** FLOAT64 elements in a {@code double[]}. */
    static final class DoubleStorage extends Storage {

        private final double[] data;

        DoubleStorage(double[] data) {
            this.data = data;
        }

        @Override
        DataType dataType() {
            return DataType.FLOAT64;
        }

        @Override
        int size() {
            return data.length;
        }

        @Override
        Object array() {
            return data;
        }

        @Override
        double getDouble(int index) {
            return data[index];
        }

        @Override
        long getLong(int index) {
            return (long) data[index];
        }

        @Override
        void setDouble(int index, double value) {
            data[index] = value;
        }

        @Override
        void setLong(int index, long value) {
            data[index] = value;
        }

        @Override
        Storage gather(int[] offsets) {
            double[] out = new double[offsets.length];
            for (int i = 0; i < offsets.length; i++) {
                out[i] = data[offsets[i]];
            }
            return new DoubleStorage(out);
        }

        @Override
        void writeNative(ByteBuffer target) {
            target.asDoubleBuffer().put(data);
        }

        @Override
        void readNative(ByteBuffer source) {
            source.asDoubleBuffer().get(data);
        }

        @Override
        void readTyped(Buffer source) {
            ((DoubleBuffer) source).duplicate().get(data);
        }
    }

    /** INT32 elements in an {@code int[]}. */
    static final class IntStorage extends Storage {

        private final int[] data;

        IntStorage(int[] data) {
            this.data = data;
        }

        @Override
        DataType dataType() {
            return DataType.INT32;
        }

        @Override
        int size() {
            return data.length;
        }

        @Override
        Object array() {
            return data;
        }

        @Override
        double getDouble(int index) {
            return data[index];
        }

        @Override
        long getLong(int index) {
            return data[index];
        }

        @Override
        void setDouble(int index, double value) {
            data[index] = (int) (long) value;
        }

        @Override
        void setLong(int index, long value) {
            data[index] = (int) value;
        }

        @Override
        Storage gather(int[] offsets) {
            int[] out = new int[offsets.length];
            for (int i = 0; i < offsets.length; i++) {
                out[i] = data[offsets[i]];
            }
            return new IntStorage(out);
        }

        @Override
        void writeNative(ByteBuffer target) {
            target.asIntBuffer().put(data);
        }

        @Override
        void readNative(ByteBuffer source) {
            source.asIntBuffer().get(data);
        }

        @Override
        void readTyped(Buffer source) {
            ((IntBuffer) source).duplicate().get(data);
        }
    }

    /** INT64 elements in a {@code long[]}. */
    static final class LongStorage extends Storage {

        private final long[] data;

        LongStorage(long[] data) {
            this.data = data;
        }

        long[] values() {
            return data;
        }

        @Override
        DataType dataType() {
            return DataType.INT64;
        }

        @Override
        int size() {
            return data.length;
        }

        @Override
        Object array() {
            return data;
        }

        @Override
        double getDouble(int index) {
            return data[index];
        }

        @Override
        long getLong(int index) {
            return data[index];
        }

        @Override
        void setDouble(int index, double value) {
            data[index] = (long) value;
        }

        @Override
        void setLong(int index, long value) {
            data[index] = value;
        }

        @Override
        Storage gather(int[] offsets) {
            long[] out = new long[offsets.length];
            for (int i = 0; i < offsets.length; i++) {
                out[i] = data[offsets[i]];
            }
            return new LongStorage(out);
        }

        @Override
        void writeNative(ByteBuffer target) {
            target.asLongBuffer().put(data);
        }

        @Override
        void readNative(ByteBuffer source) {
            source.asLongBuffer().get(data);
        }

        @Override
        void readTyped(Buffer source) {
            ((LongBuffer) source).duplicate().get(data);
        }
    }

    /** BOOLEAN (0/1), INT8 or UINT8 elements in a {@code byte[]}. */
    static final class ByteStorage extends Storage {

        private final byte[] data;
        private final DataType type;

        ByteStorage(byte[] data, DataType type) {
            this.data = data;
            this.type = type;
        }

        @Override
        DataType dataType() {
            return type;
        }

        @Override
        int size() {
            return data.length;
        }

        @Override
        Object array() {
            return data;
        }

        @Override
        double getDouble(int index) {
            return getLong(index);
        }

        @Override
        long getLong(int index) {
            return type == DataType.UINT8 ? data[index] & 0xFF : data[index];
        }

        @Override
        void setDouble(int index, double value) {
            if (type == DataType.BOOLEAN) {
                // NaN counts as true, as in C
                data[index] = (byte) (value != 0 ? 1 : 0);
            } else {
                data[index] = (byte) (long) value;
            }
        }

        @Override
        void setLong(int index, long value) {
            if (type == DataType.BOOLEAN) {
                data[index] = (byte) (value != 0 ? 1 : 0);
            } else {
                data[index] = (byte) value;
            }
        }

        @Override
        Storage gather(int[] offsets) {
            byte[] out = new byte[offsets.length];
            for (int i = 0; i < offsets.length; i++) {
                out[i] = data[offsets[i]];
            }
            return new ByteStorage(out, type);
        }

        @Override
        void writeNative(ByteBuffer target) {
            target.put(data);
        }

        @Override
        void readNative(ByteBuffer source) {
            source.get(data);
        }

        @Override
        void readTyped(Buffer source) {
            readNative(((ByteBuffer) source).duplicate());
        }
    }
}
