package io.djlint4.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.index.dim.NDIndexAll;
import ai.djl.ndarray.index.dim.NDIndexBooleans;
import ai.djl.ndarray.index.dim.NDIndexElement;
import ai.djl.ndarray.index.dim.NDIndexFixed;
import ai.djl.ndarray.index.dim.NDIndexNull;
import ai.djl.ndarray.index.dim.NDIndexSlice;
import ai.djl.ndarray.index.dim.NDIndexTake;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * An {@link NDIndex} resolved against a shape, with PyTorch's indexing semantics: integers
 * select, slices clamp like Python slices, {@code null} inserts an axis, index arrays and boolean
 * masks are advanced indices that broadcast together. Advanced results go where the first advanced
 * index was when all advanced indices are adjacent (after integer selection), otherwise first.
 *
 * <p>The indexed elements are described as runs: the result is {@code runStarts.length}
 * consecutive runs of {@code runLength} source elements, in row-major result order.
 */
final class IndexPlan {

    private final long[] resultDims;
    private final int runLength;
    private final int[] runStarts;

    private IndexPlan(long[] resultDims, int runLength, int[] runStarts) {
        this.resultDims = resultDims;
        this.runLength = runLength;
        this.runStarts = runStarts;
    }

    /**
     * Resolves an index.
     *
     * @param index the DJL index (no pick elements)
     * @param dims the shape of the indexed array
     * @param reader reads index arrays and masks of any engine
     * @return the plan
     */
    static IndexPlan resolve(NDIndex index, long[] dims, Function<NDArray, DenseTensor> reader) {
        int[] strides = ShapeMath.strides(dims);
        List<Axis> axes = new ArrayList<>();
        int source = 0;
        int base = 0;
        for (NDIndexElement element : expandEllipsis(index, dims.length)) {
            if (element instanceof NDIndexFixed) {
                long i = checkedIndex(((NDIndexFixed) element).getIndex(), dims[source], source);
                base += (int) i * strides[source];
                source++;
            } else if (element instanceof NDIndexSlice) {
                NDIndexSlice slice = (NDIndexSlice) element;
                long step = slice.getStep() == null ? 1 : slice.getStep();
                if (step <= 0) {
                    throw new IllegalArgumentException("step must be greater than zero");
                }
                long start = clampSliceEnd(slice.getMin(), 0, dims[source]);
                long stop = clampSliceEnd(slice.getMax(), dims[source], dims[source]);
                long count = stop > start ? (stop - start + step - 1) / step : 0;
                base += (int) start * strides[source];
                axes.add(Axis.view(count, (int) step * strides[source]));
                source++;
            } else if (element instanceof NDIndexAll) {
                axes.add(Axis.view(dims[source], strides[source]));
                source++;
            } else if (element instanceof NDIndexNull) {
                axes.add(Axis.view(1, 0));
            } else if (element instanceof NDIndexTake) {
                DenseTensor indices = reader.apply(((NDIndexTake) element).getIndex());
                long[] values = new long[indices.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = checkedIndex(indices.storage().getLong(i), dims[source], source);
                }
                axes.add(Axis.advanced(values, indices.dims(), strides[source]));
                source++;
            } else if (element instanceof NDIndexBooleans) {
                DenseTensor mask = reader.apply(((NDIndexBooleans) element).getIndex());
                checkMask(mask.dims(), dims, source);
                long[][] coordinates = nonzero(mask);
                long[] nnz = {coordinates.length == 0 ? 0 : coordinates[0].length};
                for (int j = 0; j < mask.rank(); j++) {
                    axes.add(Axis.advanced(coordinates[j], nnz, strides[source + j]));
                }
                source += mask.rank();
            } else {
                throw new UnsupportedOperationException(
                        "Unsupported index element: " + element.getClass().getSimpleName());
            }
        }
        return fromAxes(base, arrangeAdvanced(axes));
    }

    /**
     * Returns the shape of the indexed result.
     *
     * @return the dimensions
     */
    long[] resultDims() {
        return resultDims;
    }

    /**
     * Returns how many source elements each run covers.
     *
     * @return the run length
     */
    int runLength() {
        return runLength;
    }

    /**
     * Returns the source offset of each run.
     *
     * @return the run starts (not to be modified)
     */
    int[] runStarts() {
        return runStarts;
    }

    /**
     * Lists the coordinates of the non-zero elements of a tensor, row-major.
     *
     * @param mask the tensor
     * @return one array of coordinates per dimension
     */
    static long[][] nonzero(DenseTensor mask) {
        int count = 0;
        for (int i = 0; i < mask.size(); i++) {
            count += mask.storage().getDouble(i) != 0 ? 1 : 0;
        }
        long[][] coordinates = new long[mask.rank()][count];
        int[] strides = ShapeMath.strides(mask.dims());
        int n = 0;
        for (int i = 0; i < mask.size(); i++) {
            if (mask.storage().getDouble(i) != 0) {
                for (int d = 0; d < mask.rank(); d++) {
                    coordinates[d][n] = (i / strides[d]) % mask.dims()[d];
                }
                n++;
            }
        }
        return coordinates;
    }

    private static List<NDIndexElement> expandEllipsis(NDIndex index, int rank) {
        List<NDIndexElement> elements = index.getIndices();
        int consumed = 0;
        for (NDIndexElement element : elements) {
            if (element instanceof NDIndexBooleans) {
                consumed += ((NDIndexBooleans) element).getIndex().getShape().dimension();
            } else if (!(element instanceof NDIndexNull)) {
                consumed++;
            }
        }
        if (consumed > rank) {
            throw new IllegalArgumentException(
                    "too many indices for tensor of dimension " + rank);
        }
        int ellipsis = index.getEllipsisIndex();
        int insertAt = ellipsis < 0 ? elements.size() : ellipsis;
        List<NDIndexElement> expanded = new ArrayList<>(elements.subList(0, insertAt));
        for (int i = 0; i < rank - consumed; i++) {
            expanded.add(new NDIndexAll());
        }
        expanded.addAll(elements.subList(insertAt, elements.size()));
        return expanded;
    }

    private static long checkedIndex(long index, long size, int dim) {
        long resolved = index < 0 ? index + size : index;
        if (resolved < 0 || resolved >= size) {
            throw new IndexOutOfBoundsException(
                    "index " + index + " is out of bounds for dimension " + dim + " with size "
                            + size);
        }
        return resolved;
    }

    private static long clampSliceEnd(Long value, long fallback, long size) {
        if (value == null) {
            return fallback;
        }
        long resolved = value < 0 ? value + size : value;
        return Math.max(0, Math.min(size, resolved));
    }

    private static void checkMask(long[] maskDims, long[] dims, int from) {
        for (int j = 0; j < maskDims.length; j++) {
            if (from + j >= dims.length || maskDims[j] != dims[from + j]) {
                throw new IllegalArgumentException(
                        "The shape of the mask "
                                + ShapeMath.describe(maskDims)
                                + " at index "
                                + j
                                + " does not match the shape of the indexed tensor "
                                + ShapeMath.describe(dims));
            }
        }
    }

    /**
     * Replaces the advanced axes by one block of their broadcast shape, placed where PyTorch
     * places it.
     */
    private static List<Axis> arrangeAdvanced(List<Axis> axes) {
        List<Integer> advancedAt = new ArrayList<>();
        long[] broadcast = new long[0];
        for (int i = 0; i < axes.size(); i++) {
            if (axes.get(i).isAdvanced()) {
                advancedAt.add(i);
                broadcast = ShapeMath.broadcast(broadcast, axes.get(i).indexDims);
            }
        }
        if (advancedAt.isEmpty()) {
            return axes;
        }
        int[] offsets = new int[ShapeMath.size(broadcast)];
        for (int position : advancedAt) {
            Axis axis = axes.get(position);
            StridedCursor cursor = StridedCursor.broadcasting(broadcast, axis.indexDims);
            for (int b = 0; b < offsets.length; b++) {
                offsets[b] += (int) axis.indices[cursor.offset()] * axis.stride;
                cursor.advance();
            }
        }
        Axis block = Axis.block(offsets, broadcast);
        int first = advancedAt.get(0);
        int last = advancedAt.get(advancedAt.size() - 1);
        boolean adjacent = last - first + 1 == advancedAt.size();
        List<Axis> arranged = new ArrayList<>();
        if (!adjacent) {
            arranged.add(block);
        }
        for (int i = 0; i < axes.size(); i++) {
            if (i == first && adjacent) {
                arranged.add(block);
            }
            if (!axes.get(i).isAdvanced()) {
                arranged.add(axes.get(i));
            }
        }
        return arranged;
    }

    private static IndexPlan fromAxes(int base, List<Axis> axes) {
        List<Long> resultDims = new ArrayList<>();
        for (Axis axis : axes) {
            for (long dim : axis.resultDims()) {
                resultDims.add(dim);
            }
        }
        // merge the trailing view axes that read one contiguous block of the source
        int runLength = 1;
        int tail = axes.size();
        while (tail > 0) {
            Axis axis = axes.get(tail - 1);
            if (axis.isBlock() || (axis.count != 1 && axis.stride != runLength)) {
                break;
            }
            runLength *= (int) axis.count;
            tail--;
        }
        List<Axis> prefix = axes.subList(0, tail);
        long[] prefixDims = new long[prefix.size()];
        for (int i = 0; i < prefixDims.length; i++) {
            prefixDims[i] = prefix.get(i).count;
        }
        int[] runStarts = new int[ShapeMath.size(prefixDims)];
        long[] counter = new long[prefixDims.length];
        for (int r = 0; r < runStarts.length; r++) {
            int offset = base;
            for (int i = 0; i < counter.length; i++) {
                offset += prefix.get(i).offset(counter[i]);
            }
            runStarts[r] = offset;
            for (int i = counter.length - 1; i >= 0; i--) {
                if (++counter[i] < prefixDims[i]) {
                    break;
                }
                counter[i] = 0;
            }
        }
        long[] dims = resultDims.stream().mapToLong(Long::longValue).toArray();
        return new IndexPlan(dims, runLength, runStarts);
    }

    /**
     * One axis of the result before and after arranging: a strided view axis, an advanced index
     * (before arranging) or the block of all advanced indices (after arranging).
     */
    private static final class Axis {

        final long count;
        final int stride;
        final long[] indices;
        final long[] indexDims;
        final int[] blockOffsets;

        private Axis(long count, int stride, long[] indices, long[] indexDims, int[] blockOffsets) {
            this.count = count;
            this.stride = stride;
            this.indices = indices;
            this.indexDims = indexDims;
            this.blockOffsets = blockOffsets;
        }

        static Axis view(long count, int stride) {
            return new Axis(count, stride, null, null, null);
        }

        static Axis advanced(long[] indices, long[] indexDims, int stride) {
            return new Axis(indices.length, stride, indices, indexDims, null);
        }

        static Axis block(int[] offsets, long[] dims) {
            return new Axis(offsets.length, 0, null, dims, offsets);
        }

        boolean isAdvanced() {
            return indices != null;
        }

        boolean isBlock() {
            return blockOffsets != null;
        }

        long[] resultDims() {
            return isBlock() ? indexDims : new long[] {count};
        }

        int offset(long position) {
            return isBlock() ? blockOffsets[(int) position] : (int) position * stride;
        }
    }
}
