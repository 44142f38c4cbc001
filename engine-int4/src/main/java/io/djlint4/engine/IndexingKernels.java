package io.djlint4.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.index.dim.NDIndexPick;
import ai.djl.ndarray.index.full.NDIndexFullPick;

import java.util.Arrays;
import java.util.function.Function;

/** Reading and writing through {@link NDIndex}es, gather, pick, take and boolean masks. */
final class IndexingKernels {

    private IndexingKernels() {}

    /**
     * Reads the indexed elements into a new tensor.
     *
     * @param a the indexed tensor
     * @param index the index
     * @param reader reads index arrays of any engine
     * @return the result
     */
    static DenseTensor get(DenseTensor a, NDIndex index, Function<NDArray, DenseTensor> reader) {
        if (index.stream().anyMatch(e -> e instanceof NDIndexPick)) {
            NDIndexFullPick pick =
                    NDIndexFullPick.fromIndex(index, a.shape())
                            .orElseThrow(
                                    () ->
                                            new UnsupportedOperationException(
                                                    "A pick index must be combined with full"
                                                            + " slices only"));
            return pick(a, reader.apply(pick.getIndices()), pick.getAxis());
        }
        IndexPlan plan = IndexPlan.resolve(index, a.dims(), reader);
        int runLength = plan.runLength();
        int[] starts = plan.runStarts();
        Storage out = Storage.allocate(a.dataType(), ShapeMath.size(plan.resultDims()));
        for (int r = 0; r < starts.length && runLength > 0; r++) {
            Storage.copyRange(a.storage(), starts[r], out, r * runLength, runLength);
        }
        return new DenseTensor(out, plan.resultDims());
    }

    /**
     * Writes a value, broadcast to the indexed shape, into the indexed elements.
     *
     * @param target the tensor written in place
     * @param index the index
     * @param value the value; leading size-1 axes beyond the indexed rank are ignored, as in
     *     PyTorch
     * @param reader reads index arrays of any engine
     */
    static void set(
            DenseTensor target,
            NDIndex index,
            DenseTensor value,
            Function<NDArray, DenseTensor> reader) {
        if (index.stream().anyMatch(e -> e instanceof NDIndexPick)) {
            throw new UnsupportedOperationException("set() does not support pick indices");
        }
        IndexPlan plan = IndexPlan.resolve(index, target.dims(), reader);
        long[] resultDims = plan.resultDims();
        DenseTensor source = broadcastValue(value, resultDims).withType(target.dataType());
        if (source.storage() == target.storage()) {
            // a view of the target as value: read from a snapshot, not from what we overwrite
            source = new DenseTensor(source.storage().copy(), source.dims());
        }
        int runLength = plan.runLength();
        int[] starts = plan.runStarts();
        for (int r = 0; r < starts.length && runLength > 0; r++) {
            Storage.copyRange(
                    source.storage(), r * runLength, target.storage(), starts[r], runLength);
        }
    }

    /**
     * Gathers along an axis ({@code torch.gather}): {@code out[..i..] = a[..index[..i..]..]}.
     *
     * @param a the input
     * @param index integer indices with the input's rank
     * @param axis the axis
     * @return the gathered tensor, shaped like the index
     */
    static DenseTensor gather(DenseTensor a, DenseTensor index, int axis) {
        if (index.rank() != a.rank()) {
            throw new IllegalArgumentException(
                    "Index tensor must have the same number of dimensions as input tensor");
        }
        int ax = ShapeMath.axis(axis, Math.max(a.rank(), 1));
        int[] strides = ShapeMath.strides(a.dims());
        int[] walk = strides.clone();
        for (int d = 0; d < a.rank(); d++) {
            if (d != ax && index.dims()[d] > a.dims()[d]) {
                throw new IllegalArgumentException(
                        "Size does not match at dimension "
                                + d
                                + " expected index "
                                + ShapeMath.describe(index.dims())
                                + " to be smaller than self "
                                + ShapeMath.describe(a.dims())
                                + " apart from dimension "
                                + ax);
            }
        }
        long axisSize = a.rank() == 0 ? 1 : a.dims()[ax];
        int axisStride = a.rank() == 0 ? 0 : strides[ax];
        if (a.rank() > 0) {
            walk[ax] = 0;
        }
        StridedCursor cursor = new StridedCursor(index.dims(), walk, 0);
        int[] offsets = new int[index.size()];
        for (int i = 0; i < offsets.length; i++) {
            long k = index.storage().getLong(i);
            if (k < 0 || k >= axisSize) {
                throw new IndexOutOfBoundsException(
                        "index " + k + " is out of bounds for dimension " + ax + " with size "
                                + axisSize);
            }
            offsets[i] = cursor.offset() + (int) k * axisStride;
            cursor.advance();
        }
        return new DenseTensor(a.storage().gather(offsets), index.dims());
    }

    /**
     * Picks along an axis the way DJL's PyTorch engine does: a lower-rank index is reshaped
     * with size-1 axes around the input axes it matches, then gathered.
     *
     * @param a the input
     * @param index the indices
     * @param axis the axis
     * @return the picked tensor
     */
    static DenseTensor pick(DenseTensor a, DenseTensor index, int axis) {
        if (index.rank() == a.rank()) {
            return gather(a, index, axis);
        }
        int r = index.rank();
        for (int i = 0; i + r <= a.rank(); i++) {
            boolean matches = true;
            for (int j = 0; j < r && matches; j++) {
                matches = index.dims()[j] == a.dims()[i + j];
            }
            if (matches) {
                long[] dims = new long[a.rank()];
                Arrays.fill(dims, 1);
                System.arraycopy(index.dims(), 0, dims, i, r);
                return gather(a, new DenseTensor(index.storage(), dims), axis);
            }
        }
        throw new IllegalArgumentException(
                "expand shape failed! Cannot expand from "
                        + ShapeMath.describe(index.dims())
                        + " to "
                        + ShapeMath.describe(a.dims()));
    }

    /**
     * Reads elements at flat row-major positions ({@code torch.take}).
     *
     * @param a the input
     * @param index flat positions; negative ones count from the end
     * @return the elements, shaped like the index
     */
    static DenseTensor take(DenseTensor a, DenseTensor index) {
        int[] offsets = new int[index.size()];
        for (int i = 0; i < offsets.length; i++) {
            long k = index.storage().getLong(i);
            long resolved = k < 0 ? k + a.size() : k;
            if (resolved < 0 || resolved >= a.size()) {
                throw new IndexOutOfBoundsException(
                        "out of range: tried to access index " + k + " on a tensor of "
                                + a.size() + " elements");
            }
            offsets[i] = (int) resolved;
        }
        return new DenseTensor(a.storage().gather(offsets), index.dims());
    }

    /**
     * Selects the elements where a mask is set, as DJL's PyTorch engine does: a full-shape mask
     * gives a flat result, a mask over the trailing axes from {@code axis} keeps the leading
     * axes.
     *
     * @param a the input
     * @param mask the mask
     * @param axis the first axis the mask covers
     * @return the selected elements
     */
    static DenseTensor booleanMask(DenseTensor a, DenseTensor mask, int axis) {
        boolean full = Arrays.equals(mask.dims(), a.dims());
        long[] trailing = Arrays.copyOfRange(a.dims(), Math.min(axis, a.rank()), a.rank());
        if (!full && !Arrays.equals(mask.dims(), trailing)) {
            throw new UnsupportedOperationException(
                    "Not supported for shape not broadcastable "
                            + ShapeMath.describe(mask.dims())
                            + " vs "
                            + ShapeMath.describe(a.dims()));
        }
        StridedCursor cursor = StridedCursor.broadcasting(a.dims(), mask.dims());
        int[] selected = new int[a.size()];
        int count = 0;
        for (int i = 0; i < a.size(); i++) {
            if (mask.storage().getDouble(cursor.offset()) != 0) {
                selected[count++] = i;
            }
            cursor.advance();
        }
        Storage out = a.storage().gather(Arrays.copyOf(selected, count));
        if (full) {
            return new DenseTensor(out, new long[] {count});
        }
        long[] leading = Arrays.copyOf(a.dims(), axis);
        int leadingSize = ShapeMath.size(leading);
        long[] dims = Arrays.copyOf(leading, axis + 1);
        dims[axis] = leadingSize == 0 ? 0 : count / leadingSize;
        return new DenseTensor(out, dims);
    }

    /**
     * Shapes a value for assignment into {@code dims}: drops leading size-1 axes beyond that
     * rank, then broadcasts.
     */
    private static DenseTensor broadcastValue(DenseTensor value, long[] dims) {
        long[] valueDims = value.dims();
        int drop = 0;
        while (valueDims.length - drop > dims.length && valueDims[drop] == 1) {
            drop++;
        }
        DenseTensor trimmed =
                drop == 0
                        ? value
                        : new DenseTensor(
                                value.storage(),
                                Arrays.copyOfRange(valueDims, drop, valueDims.length));
        if (Arrays.equals(trimmed.dims(), dims)) {
            return trimmed;
        }
        return LayoutKernels.broadcastTo(trimmed, dims);
    }
}
