package io.djlint4.engine;

import ai.djl.ndarray.types.DataType;

import java.util.Arrays;

/** Sums, extrema, means and arg-extrema over one or more axes. */
final class ReductionKernels {

    /** The reductions that accumulate over every element of a group. */
    enum Reduction {
        SUM,
        MAX,
        MIN,
        MEAN
    }

    private ReductionKernels() {}

    /**
     * Reduces over the given axes (all axes when empty).
     *
     * @param a the input
     * @param axes the axes to reduce, negative counting from the end
     * @param keepDims whether reduced axes stay as size 1
     * @param reduction the reduction
     * @return the result; SUM of integers and booleans is INT64, MEAN needs a floating input
     */
    static DenseTensor reduce(DenseTensor a, int[] axes, boolean keepDims, Reduction reduction) {
        boolean[] reduced = reducedAxes(a.rank(), axes);
        long[] keptDims = a.dims().clone();
        for (int d = 0; d < a.rank(); d++) {
            if (reduced[d]) {
                keptDims[d] = 1;
            }
        }
        int outSize = ShapeMath.size(keptDims);
        int groupSize = outSize == 0 ? 0 : a.size() / outSize;
        if ((reduction == Reduction.MAX || reduction == Reduction.MIN) && groupSize == 0) {
            throw new IllegalArgumentException(
                    "max()/min(): Expected reduction dim to be specified for input.numel() == 0");
        }
        int[] outStrides = ShapeMath.strides(keptDims);
        for (int d = 0; d < a.rank(); d++) {
            if (reduced[d]) {
                outStrides[d] = 0;
            }
        }
        DataType resultType = resultType(a.dataType(), reduction);
        Storage out = Storage.allocate(resultType, outSize);
        StridedCursor cursor = new StridedCursor(a.dims(), outStrides, 0);
        Storage in = a.storage();
        if (a.storage().isFloating()) {
            double[] acc = new double[outSize];
            boolean[] seen = new boolean[outSize];
            for (int i = 0; i < a.size(); i++) {
                int o = cursor.offset();
                acc[o] = combine(acc[o], in.getDouble(i), seen[o], reduction);
                seen[o] = true;
                cursor.advance();
            }
            for (int o = 0; o < outSize; o++) {
                out.setDouble(o, reduction == Reduction.MEAN ? acc[o] / groupSize : acc[o]);
            }
        } else {
            long[] acc = new long[outSize];
            boolean[] seen = new boolean[outSize];
            for (int i = 0; i < a.size(); i++) {
                int o = cursor.offset();
                acc[o] = combine(acc[o], in.getLong(i), seen[o], reduction);
                seen[o] = true;
                cursor.advance();
            }
            for (int o = 0; o < outSize; o++) {
                out.setLong(o, acc[o]);
            }
        }
        long[] outDims = keepDims ? keptDims : dropReduced(a.dims(), reduced);
        return new DenseTensor(out, outDims);
    }

    /**
     * Returns the index of the largest (or smallest) element along an axis; the first one wins
     * ties and NaN counts as an extremum, as in PyTorch.
     *
     * @param a the input
     * @param axis the axis, or {@code null} for the flattened array
     * @param largest true for argMax, false for argMin
     * @return INT64 indices, the axis removed (0-dimensional when flattened)
     */
    static DenseTensor argExtremum(DenseTensor a, Integer axis, boolean largest) {
        if (a.size() == 0) {
            throw new IllegalArgumentException(
                    "attempt to get " + (largest ? "argMax" : "argMin") + " of an empty NDArray");
        }
        if (a.rank() == 0) {
            return new DenseTensor(new Storage.LongStorage(new long[1]), new long[0]);
        }
        DenseTensor view = axis == null ? new DenseTensor(a.storage(), new long[] {a.size()}) : a;
        int ax = axis == null ? 0 : ShapeMath.axis(axis, a.rank());
        AxisLines lines = new AxisLines(view, ax);
        long[] result = new long[lines.count()];
        Storage in = a.storage();
        for (int line = 0; line < result.length; line++) {
            int base = lines.base(line);
            int best = 0;
            for (int k = 1; k < lines.length; k++) {
                if (beats(in, base + k * lines.inner, base + best * lines.inner, largest)) {
                    best = k;
                }
            }
            result[line] = best;
        }
        long[] outDims = axis == null ? new long[0] : ShapeMath.without(a.dims(), ax);
        return new DenseTensor(new Storage.LongStorage(result), outDims);
    }

    private static boolean beats(Storage in, int candidate, int best, boolean largest) {
        if (in.isFloating()) {
            double c = in.getDouble(candidate);
            double b = in.getDouble(best);
            if (Double.isNaN(b)) {
                return false;
            }
            if (Double.isNaN(c)) {
                return true;
            }
            return largest ? c > b : c < b;
        }
        long c = in.getLong(candidate);
        long b = in.getLong(best);
        return largest ? c > b : c < b;
    }

    private static double combine(double acc, double x, boolean seen, Reduction reduction) {
        switch (reduction) {
            case MAX:
                return !seen || Double.isNaN(x) || x > acc ? x : acc;
            case MIN:
                return !seen || Double.isNaN(x) || x < acc ? x : acc;
            default:
                return acc + x;
        }
    }

    private static long combine(long acc, long x, boolean seen, Reduction reduction) {
        switch (reduction) {
            case MAX:
                return !seen || x > acc ? x : acc;
            case MIN:
                return !seen || x < acc ? x : acc;
            default:
                return acc + x;
        }
    }

    private static DataType resultType(DataType input, Reduction reduction) {
        if (reduction == Reduction.MEAN && !input.isFloating()) {
            throw new IllegalArgumentException(
                    "mean(): could not infer output dtype. Input dtype must be either a floating"
                            + " point or complex dtype. Got: "
                            + input);
        }
        if (reduction == Reduction.SUM && !input.isFloating()) {
            return DataType.INT64;
        }
        return input;
    }

    private static boolean[] reducedAxes(int rank, int[] axes) {
        boolean[] reduced = new boolean[rank];
        if (axes.length == 0) {
            Arrays.fill(reduced, true);
        }
        for (int axis : axes) {
            int resolved = ShapeMath.axis(axis, rank);
            if (reduced[resolved] && axes.length > 0) {
                throw new IllegalArgumentException(
                        "dim " + resolved + " appears multiple times in the list of dims");
            }
            reduced[resolved] = true;
        }
        return reduced;
    }

    private static long[] dropReduced(long[] dims, boolean[] reduced) {
        int kept = 0;
        for (boolean r : reduced) {
            kept += r ? 0 : 1;
        }
        long[] out = new long[kept];
        int j = 0;
        for (int d = 0; d < dims.length; d++) {
            if (!reduced[d]) {
                out[j++] = dims[d];
            }
        }
        return out;
    }
}
