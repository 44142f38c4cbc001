package io.djlint4.checkpoint;

import java.util.Arrays;

/**
 * One tensor of a safetensors file.
 *
 * @param name the tensor name
 * @param dtype the element type
 * @param shape the shape, outermost first (PyTorch order)
 * @param begin the absolute file position of the first byte
 * @param byteSize the number of bytes
 */
public record SafetensorsTensorInfo(
        String name, SafetensorsDtype dtype, long[] shape, long begin, long byteSize) {

    /** Copies the shape. */
    public SafetensorsTensorInfo {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /**
     * Returns the number of elements.
     *
     * @return the product of the shape (1 for a scalar)
     */
    public long numElements() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SafetensorsTensorInfo t
                && name.equals(t.name)
                && dtype == t.dtype
                && Arrays.equals(shape, t.shape)
                && begin == t.begin
                && byteSize == t.byteSize;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape);
    }
}
