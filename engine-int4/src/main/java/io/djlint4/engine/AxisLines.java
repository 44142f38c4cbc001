package io.djlint4.engine;

/**
 * The 1-D lines of a row-major tensor along one axis. Line {@code n} starts at {@link #base} and
 * its element {@code k} sits at {@code base(n) + k * inner}.
 */
final class AxisLines {

    final int length;
    final int inner;
    private final int outer;

    /**
     * Describes the lines along an axis; a 0-dimensional tensor counts as one line of length 1.
     *
     * @param a the tensor
     * @param axis the axis, negative counting from the end
     */
    AxisLines(DenseTensor a, int axis) {
        long[] dims = a.rank() == 0 ? new long[] {1} : a.dims();
        int ax = ShapeMath.axis(axis, dims.length);
        this.length = (int) dims[ax];
        this.inner = ShapeMath.product(dims, ax + 1, dims.length);
        this.outer = ShapeMath.product(dims, 0, ax);
    }

    /**
     * Returns the number of lines.
     *
     * @return outer * inner
     */
    int count() {
        return outer * inner;
    }

    /**
     * Returns the offset of the first element of a line.
     *
     * @param line the line number in {@code [0, count())}
     * @return the offset
     */
    int base(int line) {
        return (line / inner) * length * inner + line % inner;
    }
}
