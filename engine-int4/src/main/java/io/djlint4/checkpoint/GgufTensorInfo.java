package io.djlint4.checkpoint;

import java.util.Arrays;

/**
 * One tensor of a GGUF file.
 *
 * @param name the tensor name
 * @param dims the dimensions in GGML order, innermost first ({@code dims[0]} is the number of
 *     columns, i.e. the in-features of a weight matrix)
 * @param type the storage type
 * @param fileOffset the absolute file position of the first byte
 * @param byteSize the number of bytes
 */
public record GgufTensorInfo(String name, long[] dims, GgufType type, long fileOffset, long byteSize) {

    /** Copies the dimensions. */
    public GgufTensorInfo {
        dims = dims.clone();
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    /**
     * Returns the number of values.
     *
     * @return the product of the dimensions
     */
    public long numElements() {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    /**
     * Returns the shape in PyTorch order, outermost first ({@code [rows, cols]} for a matrix).
     *
     * @return the reversed dimensions
     */
    public long[] shape() {
        long[] s = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            s[i] = dims[dims.length - 1 - i];
        }
        return s;
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(dims);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufTensorInfo t
                && name.equals(t.name)
                && Arrays.equals(dims, t.dims)
                && type == t.type
                && fileOffset == t.fileOffset
                && byteSize == t.byteSize;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(dims);
    }
}
