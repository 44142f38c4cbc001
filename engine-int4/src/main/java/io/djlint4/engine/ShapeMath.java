package io.djlint4.engine;

/** Row-major shape arithmetic shared by the kernels: sizes, strides, axes, broadcasting. */
final class ShapeMath {

    private ShapeMath() {}

    /**
     * Returns the element count of a shape, checking that it fits a Java array.
     *
     * @param dims the dimensions
     * @return the element count
     */
    static int size(long[] dims) {
        long size = 1;
        for (long dim : dims) {
            if (dim < 0) {
                throw new IllegalArgumentException("Negative dimension in shape: " + dim);
            }
            size *= dim;
        }
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "Int4 arrays hold at most 2^31-1 elements, got " + size);
        }
        return (int) size;
    }

    /**
     * Returns the row-major strides (in elements) of a shape.
     *
     * @param dims the dimensions
     * @return the strides
     */
    static int[] strides(long[] dims) {
        int[] strides = new int[dims.length];
        int stride = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            strides[i] = stride;
            stride *= (int) dims[i];
        }
        return strides;
    }

    /**
     * Resolves a possibly negative axis.
     *
     * @param axis the axis, negative counting from the end
     * @param rank the number of dimensions
     * @return the axis in {@code [0, rank)}
     */
    static int axis(int axis, int rank) {
        int resolved = axis < 0 ? axis + rank : axis;
        if (resolved < 0 || resolved >= rank) {
            throw new IllegalArgumentException(
                    "Dimension out of range (expected to be in range of ["
                            + -rank
                            + ", "
                            + (rank - 1)
                            + "], but got "
                            + axis
                            + ")");
        }
        return resolved;
    }

    /**
     * Returns the product of the dimensions in {@code [from, to)}.
     *
     * @param dims the dimensions
     * @param from the first dimension
     * @param to one past the last dimension
     * @return the product
     */
    static int product(long[] dims, int from, int to) {
        long product = 1;
        for (int i = from; i < to; i++) {
            product *= dims[i];
        }
        return (int) product;
    }

    /**
     * Returns the broadcast of two shapes under numpy rules.
     *
     * @param a the first shape
     * @param b the second shape
     * @return the broadcast shape
     */
    static long[] broadcast(long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            long db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(
                        "The size of tensor a ("
                                + da
                                + ") must match the size of tensor b ("
                                + db
                                + ") at non-singleton dimension "
                                + i);
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /**
     * Returns the strides that read an input of shape {@code in} while walking the broadcast
     * shape {@code out}: input strides right-aligned, 0 where the input is broadcast.
     *
     * @param in the input shape
     * @param out the output shape it broadcasts to
     * @return strides aligned with {@code out}
     */
    static int[] broadcastStrides(long[] in, long[] out) {
        int[] inStrides = strides(in);
        int[] aligned = new int[out.length];
        int offset = out.length - in.length;
        for (int i = 0; i < in.length; i++) {
            if (in[i] == out[i + offset]) {
                aligned[i + offset] = inStrides[i];
            } else if (in[i] != 1) {
                throw new IllegalArgumentException(
                        "Shape mismatch: cannot broadcast dimension "
                                + in[i]
                                + " to "
                                + out[i + offset]);
            }
        }
        return aligned;
    }

    /**
     * Resolves a reshape target with at most one {@code -1}.
     *
     * @param target the requested dimensions
     * @param size the element count to preserve
     * @return the concrete dimensions
     */
    static long[] reshape(long[] target, int size) {
        long[] dims = target.clone();
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1) {
                if (unknown >= 0) {
                    throw new IllegalArgumentException("only one dimension can be inferred");
                }
                unknown = i;
            } else {
                known *= dims[i];
            }
        }
        if (unknown >= 0) {
            if (known == 0 || size % known != 0) {
                throw new IllegalArgumentException(
                        "shape '" + describe(target) + "' is invalid for input of size " + size);
            }
            dims[unknown] = size / known;
        } else if (known != size) {
            throw new IllegalArgumentException(
                    "shape '" + describe(target) + "' is invalid for input of size " + size);
        }
        return dims;
    }

    /**
     * Returns {@code dims} without one axis.
     *
     * @param dims the dimensions
     * @param axis the axis to drop
     * @return the remaining dimensions
     */
    static long[] without(long[] dims, int axis) {
        long[] out = new long[dims.length - 1];
        System.arraycopy(dims, 0, out, 0, axis);
        System.arraycopy(dims, axis + 1, out, axis, dims.length - axis - 1);
        return out;
    }

    /**
     * Returns {@code dims} with one axis replaced.
     *
     * @param dims the dimensions
     * @param axis the axis
     * @param value the new size of that axis
     * @return the new dimensions
     */
    static long[] with(long[] dims, int axis, long value) {
        long[] out = dims.clone();
        out[axis] = value;
        return out;
    }

    /**
     * Formats dimensions like PyTorch does in error messages.
     *
     * @param dims the dimensions
     * @return the text
     */
    static String describe(long[] dims) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(dims[i]);
        }
        return sb.append(']').toString();
    }
}
