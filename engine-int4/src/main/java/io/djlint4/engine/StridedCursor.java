package io.djlint4.engine;

/**
 * Walks a shape in row-major order while tracking the offset of the matching element of another
 * array laid out with arbitrary strides (0 for broadcast or reduced dimensions).
 */
final class StridedCursor {

    private final long[] dims;
    private final int[] strides;
    private final long[] counter;
    private int offset;

    /**
     * Starts a cursor at the first element.
     *
     * @param dims the walked shape
     * @param strides the strides of the tracked array, aligned with {@code dims}
     * @param start the tracked offset of the first element
     */
    StridedCursor(long[] dims, int[] strides, int start) {
        this.dims = dims;
        this.strides = strides;
        this.counter = new long[dims.length];
        this.offset = start;
    }

    /**
     * Starts a cursor that reads an input broadcast to {@code outDims}.
     *
     * @param outDims the walked (broadcast) shape
     * @param inDims the input shape
     * @return the cursor
     */
    static StridedCursor broadcasting(long[] outDims, long[] inDims) {
        return new StridedCursor(outDims, ShapeMath.broadcastStrides(inDims, outDims), 0);
    }

    /**
     * Returns the tracked offset of the current element.
     *
     * @return the offset
     */
    int offset() {
        return offset;
    }

    /** Moves to the next element in row-major order. */
    void advance() {
        for (int d = dims.length - 1; d >= 0; d--) {
            counter[d]++;
            offset += strides[d];
            if (counter[d] < dims[d]) {
                return;
            }
            offset -= (int) (strides[d] * dims[d]);
            counter[d] = 0;
        }
    }

    /**
     * Lists the tracked offsets of every element of the walked shape.
     *
     * @return one offset per element, in row-major order
     */
    int[] offsets() {
        int[] offsets = new int[ShapeMath.size(dims)];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = offset;
            advance();
        }
        return offsets;
    }
}
