package io.djlint4.engine;

import java.util.ArrayList;
import java.util.List;

/** Copies that rearrange elements: permute, concatenate, repeat, tile and broadcast. */
final class LayoutKernels {

    private LayoutKernels() {}

    /**
     * Permutes the axes ({@code torch.permute}).
     *
     * @param a the input
     * @param axes the source axis of each output axis, negative counting from the end
     * @return a row-major copy in the new axis order
     */
    static DenseTensor transpose(DenseTensor a, int[] axes) {
        if (axes.length != a.rank()) {
            throw new IllegalArgumentException(
                    "number of dims don't match in permute: "
                            + axes.length
                            + " axes for a tensor of rank "
                            + a.rank());
        }
        int[] strides = ShapeMath.strides(a.dims());
        long[] outDims = new long[axes.length];
        int[] outStrides = new int[axes.length];
        boolean[] used = new boolean[axes.length];
        for (int i = 0; i < axes.length; i++) {
            int axis = ShapeMath.axis(axes[i], a.rank());
            if (used[axis]) {
                throw new IllegalArgumentException("repeated dim in permute: " + axes[i]);
            }
            used[axis] = true;
            outDims[i] = a.dims()[axis];
            outStrides[i] = strides[axis];
        }
        int[] offsets = new StridedCursor(outDims, outStrides, 0).offsets();
        return new DenseTensor(a.storage().gather(offsets), outDims);
    }

    /**
     * Concatenates tensors of one type along an axis ({@code torch.cat}); like PyTorch, 1-D
     * empty tensors are skipped when the others have another rank.
     *
     * @param parts the tensors, all of the same type
     * @param axis the axis, negative counting from the end
     * @return the concatenation
     */
    static DenseTensor concat(List<DenseTensor> parts, int axis) {
        List<DenseTensor> used = new ArrayList<>();
        for (DenseTensor part : parts) {
            boolean legacyEmpty = part.rank() == 1 && part.dims()[0] == 0;
            if (!legacyEmpty) {
                used.add(part);
            }
        }
        if (used.isEmpty()) {
            return parts.get(0);
        }
        DenseTensor first = used.get(0);
        if (first.rank() == 0) {
            throw new IllegalArgumentException(
                    "zero-dimensional tensor cannot be concatenated");
        }
        int ax = ShapeMath.axis(axis, first.rank());
        long total = 0;
        for (DenseTensor part : used) {
            checkConcatShape(first.dims(), part.dims(), ax);
            total += part.dims()[ax];
        }
        long[] outDims = ShapeMath.with(first.dims(), ax, total);
        Storage out = Storage.allocate(first.dataType(), ShapeMath.size(outDims));
        int outer = ShapeMath.product(outDims, 0, ax);
        int inner = ShapeMath.product(outDims, ax + 1, outDims.length);
        int position = 0;
        for (int o = 0; o < outer; o++) {
            for (DenseTensor part : used) {
                int chunk = (int) part.dims()[ax] * inner;
                Storage.copyRange(part.storage(), o * chunk, out, position, chunk);
                position += chunk;
            }
        }
        return new DenseTensor(out, outDims);
    }

    /**
     * Repeats every element {@code repeats} times along an axis
     * ({@code torch.repeat_interleave}).
     *
     * @param a the input (0-dimensional counts as 1-D)
     * @param axis the axis
     * @param repeats the repeat count
     * @return the repeated tensor
     */
    static DenseTensor repeatInterleave(DenseTensor a, int axis, long repeats) {
        if (repeats < 0) {
            throw new IllegalArgumentException("repeats can not be negative");
        }
        long[] dims = a.rank() == 0 ? new long[] {1} : a.dims();
        int ax = ShapeMath.axis(axis, dims.length);
        long[] outDims = ShapeMath.with(dims, ax, dims[ax] * repeats);
        Storage out = Storage.allocate(a.dataType(), ShapeMath.size(outDims));
        int length = (int) dims[ax];
        int inner = ShapeMath.product(dims, ax + 1, dims.length);
        int outer = ShapeMath.product(dims, 0, ax);
        int position = 0;
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < length; k++) {
                for (long r = 0; r < repeats; r++) {
                    Storage.copyRange(a.storage(), (o * length + k) * inner, out, position, inner);
                    position += inner;
                }
            }
        }
        return new DenseTensor(out, outDims);
    }

    /**
     * Tiles the whole tensor ({@code torch.Tensor.repeat}); a longer {@code repeats} adds
     * leading axes.
     *
     * @param a the input
     * @param repeats the repeat count per axis
     * @return the tiled tensor
     */
    static DenseTensor tile(DenseTensor a, long[] repeats) {
        if (repeats.length < a.rank()) {
            throw new IllegalArgumentException(
                    "Number of dimensions of repeat dims can not be smaller than number of"
                            + " dimensions of tensor");
        }
        int rank = repeats.length;
        int lead = rank - a.rank();
        // view the input as [1, d0, 1, d1, ...], broadcast to [r0, d0, r1, d1, ...]
        long[] interleaved = new long[2 * rank];
        long[] expanded = new long[2 * rank];
        long[] outDims = new long[rank];
        for (int i = 0; i < rank; i++) {
            long dim = i < lead ? 1 : a.dims()[i - lead];
            interleaved[2 * i] = 1;
            interleaved[2 * i + 1] = dim;
            expanded[2 * i] = repeats[i];
            expanded[2 * i + 1] = dim;
            outDims[i] = repeats[i] * dim;
        }
        int[] offsets = StridedCursor.broadcasting(expanded, interleaved).offsets();
        return new DenseTensor(a.storage().gather(offsets), outDims);
    }

    /**
     * Materialises a broadcast ({@code torch.Tensor.expand}); {@code -1} keeps a dimension.
     *
     * @param a the input
     * @param target the target shape
     * @return the broadcast copy
     */
    static DenseTensor broadcastTo(DenseTensor a, long[] target) {
        if (target.length < a.rank()) {
            throw new IllegalArgumentException(
                    "the number of sizes provided ("
                            + target.length
                            + ") must be greater or equal to the number of dimensions in the"
                            + " tensor ("
                            + a.rank()
                            + ")");
        }
        long[] resolved = target.clone();
        int lead = target.length - a.rank();
        for (int i = 0; i < target.length; i++) {
            if (resolved[i] == -1) {
                if (i < lead) {
                    throw new IllegalArgumentException(
                            "The expanded size of the tensor (-1) isn't allowed in a leading,"
                                    + " non-existing dimension");
                }
                resolved[i] = a.dims()[i - lead];
            }
        }
        int[] offsets = StridedCursor.broadcasting(resolved, a.dims()).offsets();
        return new DenseTensor(a.storage().gather(offsets), resolved);
    }

    private static void checkConcatShape(long[] expected, long[] actual, int axis) {
        boolean matches = expected.length == actual.length;
        for (int d = 0; matches && d < expected.length; d++) {
            matches = d == axis || expected[d] == actual[d];
        }
        if (!matches) {
            throw new IllegalArgumentException(
                    "Sizes of tensors must match except in dimension "
                            + axis
                            + ": "
                            + ShapeMath.describe(expected)
                            + " vs "
                            + ShapeMath.describe(actual));
        }
    }
}
