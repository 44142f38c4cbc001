package io.djlint4.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDArrayIndexer;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.index.dim.NDIndexBooleans;
import ai.djl.ndarray.index.full.NDIndexFullPick;
import ai.djl.ndarray.index.full.NDIndexFullSlice;
import ai.djl.ndarray.index.full.NDIndexFullTake;

import java.util.Arrays;

/**
 * Routes DJL's indexer API to Int4's native indexing, for code that reaches indexing through
 * {@code getNDArrayInternal().getIndexer(manager)}.
 */
final class Int4NDArrayIndexer extends NDArrayIndexer {

    private final NDManager manager;

    /**
     * Creates an indexer whose results are attached to a manager.
     *
     * @param manager the manager of results
     */
    Int4NDArrayIndexer(NDManager manager) {
        this.manager = manager;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray get(NDArray array, NDIndex index) {
        return int4(array).get(manager, index);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray get(NDArray array, NDIndexFullPick fullPick) {
        NDIndex index = new NDIndex().addAllDim(fullPick.getAxis());
        return get(array, index.addPickDim(fullPick.getIndices()));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray get(NDArray array, NDIndexFullTake fullTake) {
        String allDims = ":,".repeat(fullTake.getAxis());
        return get(array, new NDIndex(allDims + "{}", fullTake.getIndices()));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray get(NDArray array, NDIndexFullSlice fullSlice) {
        return get(array, toIndex(fullSlice));
    }

    /** {@inheritDoc} */
    @Override
    public void set(NDArray array, NDIndex index, Object value) {
        if (value instanceof Number) {
            int4(array).set(index, (Number) value);
        } else if (value instanceof NDArray) {
            int4(array).set(index, (NDArray) value);
        } else {
            throw new IllegalArgumentException(
                    "The type of value to assign cannot be other than NDArray and Number.");
        }
    }

    /** {@inheritDoc} */
    @Override
    public void set(NDArray array, NDIndexFullSlice fullSlice, NDArray value) {
        int4(array).set(toIndex(fullSlice), value);
    }

    /** {@inheritDoc} */
    @Override
    public void set(NDArray array, NDIndexFullSlice fullSlice, Number value) {
        int4(array).set(toIndex(fullSlice), value);
    }

    /** {@inheritDoc} */
    @Override
    public void set(NDArray array, NDIndexBooleans indices, NDArray value) {
        int4(array).set(new NDIndex().addBooleanIndex(indices.getIndex()), value);
    }

    /** Turns a resolved slice back into an index: squeezed axes become integer selections. */
    private static NDIndex toIndex(NDIndexFullSlice fullSlice) {
        long[] min = fullSlice.getMin();
        long[] max = fullSlice.getMax();
        long[] step = fullSlice.getStep();
        int[] squeezed = fullSlice.getToSqueeze();
        NDIndex index = new NDIndex();
        for (int d = 0; d < min.length; d++) {
            int axis = d;
            if (Arrays.stream(squeezed).anyMatch(s -> s == axis)) {
                index.addIndices(min[d]);
            } else {
                index.addSliceDim(min[d], max[d], step[d]);
            }
        }
        return index;
    }

    private static Int4NDArray int4(NDArray array) {
        if (!(array instanceof Int4NDArray)) {
            throw new IllegalArgumentException(
                    "The Int4 indexer only indexes Int4 arrays, got " + array.getClass().getName());
        }
        return (Int4NDArray) array;
    }
}
