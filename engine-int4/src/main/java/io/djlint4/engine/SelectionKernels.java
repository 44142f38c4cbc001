package io.djlint4.engine;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Top-k, sort and arg-sort along an axis. Top-k follows PyTorch's CPU kernel step by step
 * (partial sort when {@code k * 64 <= n}, else nth-element), so it returns the same order, ties
 * and NaN (ranked above every number) included. Sorting is stable.
 */
final class SelectionKernels {

    private SelectionKernels() {}

    /**
     * Returns the k largest (or smallest) elements along an axis and their indices.
     *
     * @param a the input
     * @param k how many to keep
     * @param axis the axis
     * @param largest true for the largest, false for the smallest
     * @param sorted whether the result must be ordered best first
     * @return {values (input type), indices (INT64)}, the axis resized to k
     */
    static DenseTensor[] topK(DenseTensor a, int k, int axis, boolean largest, boolean sorted) {
        AxisLines lines = new AxisLines(a, axis);
        if (k < 0 || k > lines.length) {
            throw new IllegalArgumentException("selected index k out of range");
        }
        long[] outDims =
                a.rank() == 0 ? new long[0] : ShapeMath.with(a.dims(), resolve(axis, a), k);
        int lineCount = lines.count();
        Storage values = Storage.allocate(a.dataType(), lineCount * k);
        long[] indices = new long[lineCount * k];
        for (int line = 0; line < lineCount && k > 0; line++) {
            int base = lines.base(line);
            int[] queue = select(a.storage(), base, lines.length, lines.inner, k, largest, sorted);
            int outBase = (line / lines.inner) * k * lines.inner + line % lines.inner;
            for (int j = 0; j < k; j++) {
                int out = outBase + j * lines.inner;
                indices[out] = queue[j];
                copyElement(a.storage(), base + queue[j] * lines.inner, values, out);
            }
        }
        return new DenseTensor[] {
            new DenseTensor(values, outDims),
            new DenseTensor(new Storage.LongStorage(indices), outDims)
        };
    }

    /**
     * Sorts along an axis in ascending order.
     *
     * @param a the input
     * @param axis the axis
     * @return the sorted values
     */
    static DenseTensor sort(DenseTensor a, int axis) {
        DenseTensor order = argSort(a, axis, true);
        AxisLines lines = new AxisLines(a, axis);
        Storage out = Storage.allocate(a.dataType(), a.size());
        Storage index = order.storage();
        for (int line = 0; line < lines.count(); line++) {
            int base = lines.base(line);
            for (int k = 0; k < lines.length; k++) {
                int offset = base + k * lines.inner;
                int source = base + (int) index.getLong(offset) * lines.inner;
                copyElement(a.storage(), source, out, offset);
            }
        }
        return new DenseTensor(out, a.dims());
    }

    /**
     * Returns the indices that sort each line along an axis. Descending order is the reversed
     * ascending order, which is how DJL's PyTorch engine produces it.
     *
     * @param a the input
     * @param axis the axis
     * @param ascending the direction
     * @return INT64 indices, same shape as the input
     */
    static DenseTensor argSort(DenseTensor a, int axis, boolean ascending) {
        AxisLines lines = new AxisLines(a, axis);
        long[] out = new long[a.size()];
        Comparator<Integer> order = ascending(a.storage());
        for (int line = 0; line < lines.count(); line++) {
            int base = lines.base(line);
            Integer[] sorted = sortedLine(base, lines.length, lines.inner, order);
            for (int k = 0; k < lines.length; k++) {
                int rank = ascending ? k : lines.length - 1 - k;
                out[base + k * lines.inner] = sorted[rank];
            }
        }
        return new DenseTensor(new Storage.LongStorage(out), a.dims());
    }

    private static int resolve(int axis, DenseTensor a) {
        return ShapeMath.axis(axis, a.rank());
    }

    /** Orders absolute storage offsets by value, ascending, NaN last. */
    private static Comparator<Integer> ascending(Storage storage) {
        return storage.isFloating()
                ? (x, y) -> compareFloating(storage.getDouble(x), storage.getDouble(y))
                : (x, y) -> Long.compare(storage.getLong(x), storage.getLong(y));
    }

    private static int compareFloating(double x, double y) {
        boolean xNan = Double.isNaN(x);
        boolean yNan = Double.isNaN(y);
        if (xNan || yNan) {
            return Boolean.compare(xNan, yNan);
        }
        return x < y ? -1 : x > y ? 1 : 0;
    }

    /**
     * Runs PyTorch's top-k selection on one line and returns the line positions; the first k
     * are the result.
     */
    private static int[] select(
            Storage storage,
            int base,
            int length,
            int inner,
            int k,
            boolean largest,
            boolean sorted) {
        int[] queue = new int[length];
        for (int j = 0; j < length; j++) {
            queue[j] = j;
        }
        StdSelection.Less less = topKOrder(storage, base, inner, largest);
        if ((long) k * 64 <= length) {
            StdSelection.partialSort(queue, k, less);
        } else {
            StdSelection.nthElement(queue, k - 1, less);
            if (sorted) {
                // PyTorch sorts only the first k - 1: nth_element already placed the k-th
                sortPrefix(queue, k - 1, less);
            }
        }
        return queue;
    }

    /** PyTorch's top-k comparator: NaN first for largest, last for smallest. */
    private static StdSelection.Less topKOrder(
            Storage storage, int base, int inner, boolean largest) {
        if (!storage.isFloating()) {
            return (x, y) -> {
                long vx = storage.getLong(base + x * inner);
                long vy = storage.getLong(base + y * inner);
                return largest ? vx > vy : vx < vy;
            };
        }
        return (x, y) -> {
            double vx = storage.getDouble(base + x * inner);
            double vy = storage.getDouble(base + y * inner);
            boolean nx = Double.isNaN(vx);
            boolean ny = Double.isNaN(vy);
            return largest ? (nx && !ny) || vx > vy : (!nx && ny) || vx < vy;
        };
    }

    /** Sorts a prefix as {@code std::sort} would: by insertion up to 16, else stably. */
    private static void sortPrefix(int[] queue, int length, StdSelection.Less less) {
        if (length <= 16) {
            StdSelection.insertionSort(queue, 0, length, less);
            return;
        }
        Integer[] boxed = new Integer[length];
        for (int i = 0; i < length; i++) {
            boxed[i] = queue[i];
        }
        Arrays.sort(boxed, (x, y) -> less.test(x, y) ? -1 : less.test(y, x) ? 1 : 0);
        for (int i = 0; i < length; i++) {
            queue[i] = boxed[i];
        }
    }

    /** Returns the line positions sorted by the comparator (stable). */
    private static Integer[] sortedLine(
            int base, int length, int inner, Comparator<Integer> order) {
        Integer[] positions = new Integer[length];
        for (int k = 0; k < length; k++) {
            positions[k] = k;
        }
        Arrays.sort(positions, (x, y) -> order.compare(base + x * inner, base + y * inner));
        return positions;
    }

    private static void copyElement(Storage source, int from, Storage target, int to) {
        if (source.isFloating()) {
            target.setDouble(to, source.getDouble(from));
        } else {
            target.setLong(to, source.getLong(from));
        }
    }
}
