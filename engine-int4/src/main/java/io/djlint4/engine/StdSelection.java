package io.djlint4.engine;

/**
 * Ports of libstdc++'s {@code std::nth_element} and {@code std::partial_sort} over an array of
 * positions, so that top-k leaves elements in exactly the order PyTorch's CPU kernel
 * ({@code topk_impl_loop}) does, ties and unsorted results included. DJL's beam search asks for
 * unsorted top-k over beam x beam candidates, where PyTorch takes the {@code nth_element} path;
 * matching its order keeps beam rows identical to the PyTorch engine's.
 */
final class StdSelection {

    /** Below this length libstdc++'s selection finishes with an insertion sort. */
    private static final int INSERTION_THRESHOLD = 3;

    /** The strict weak order the algorithms use on positions. */
    interface Less {
        /**
         * Returns whether the element at position {@code a} goes before the one at {@code b}.
         *
         * @param a a position
         * @param b a position
         * @return true if a is strictly before b
         */
        boolean test(int a, int b);
    }

    private StdSelection() {}

    /**
     * Reorders {@code v} so that {@code v[nth]} is the element a full sort would put there,
     * with no element after it going before it ({@code std::nth_element}).
     *
     * @param v the positions to reorder
     * @param nth the index to fix
     * @param less the order
     */
    static void nthElement(int[] v, int nth, Less less) {
        if (v.length == 0 || nth == v.length) {
            return;
        }
        introselect(v, 0, nth, v.length, 2 * log2(v.length), less);
    }

    /**
     * Sorts the first {@code middle} elements of the order into {@code v[0, middle)}
     * ({@code std::partial_sort}).
     *
     * @param v the positions to reorder
     * @param middle how many to sort to the front
     * @param less the order
     */
    static void partialSort(int[] v, int middle, Less less) {
        heapSelect(v, 0, middle, v.length, less);
        sortHeap(v, 0, middle, less);
    }

    /**
     * Sorts {@code v[from, to)} by insertion (what {@code std::sort} does for up to 16
     * elements).
     *
     * @param v the positions
     * @param from the first index
     * @param to one past the last index
     * @param less the order
     */
    static void insertionSort(int[] v, int from, int to, Less less) {
        if (from == to) {
            return;
        }
        for (int i = from + 1; i < to; i++) {
            int value = v[i];
            if (less.test(value, v[from])) {
                System.arraycopy(v, from, v, from + 1, i - from);
                v[from] = value;
            } else {
                int hole = i;
                while (less.test(value, v[hole - 1])) {
                    v[hole] = v[hole - 1];
                    hole--;
                }
                v[hole] = value;
            }
        }
    }

    private static void introselect(int[] v, int first, int nth, int last, int depth, Less less) {
        while (last - first > INSERTION_THRESHOLD) {
            if (depth == 0) {
                heapSelect(v, first, nth + 1, last, less);
                swap(v, first, nth);
                return;
            }
            depth--;
            int cut = partitionPivot(v, first, last, less);
            if (cut <= nth) {
                first = cut;
            } else {
                last = cut;
            }
        }
        insertionSort(v, first, last, less);
    }

    private static int partitionPivot(int[] v, int first, int last, Less less) {
        int mid = first + (last - first) / 2;
        moveMedianToFirst(v, first, first + 1, mid, last - 1, less);
        return unguardedPartition(v, first + 1, last, first, less);
    }

    private static void moveMedianToFirst(int[] v, int result, int a, int b, int c, Less less) {
        if (less.test(v[a], v[b])) {
            if (less.test(v[b], v[c])) {
                swap(v, result, b);
            } else if (less.test(v[a], v[c])) {
                swap(v, result, c);
            } else {
                swap(v, result, a);
            }
        } else if (less.test(v[a], v[c])) {
            swap(v, result, a);
        } else if (less.test(v[b], v[c])) {
            swap(v, result, c);
        } else {
            swap(v, result, b);
        }
    }

    private static int unguardedPartition(int[] v, int first, int last, int pivot, Less less) {
        while (true) {
            while (less.test(v[first], v[pivot])) {
                first++;
            }
            last--;
            while (less.test(v[pivot], v[last])) {
                last--;
            }
            if (first >= last) {
                return first;
            }
            swap(v, first, last);
            first++;
        }
    }

    private static void heapSelect(int[] v, int first, int middle, int last, Less less) {
        makeHeap(v, first, middle, less);
        for (int i = middle; i < last; i++) {
            if (less.test(v[i], v[first])) {
                popHeap(v, first, middle, i, less);
            }
        }
    }

    private static void sortHeap(int[] v, int first, int last, Less less) {
        while (last - first > 1) {
            last--;
            popHeap(v, first, last, last, less);
        }
    }

    private static void makeHeap(int[] v, int first, int last, Less less) {
        int len = last - first;
        if (len < 2) {
            return;
        }
        for (int parent = (len - 2) / 2; ; parent--) {
            adjustHeap(v, first, parent, len, v[first + parent], less);
            if (parent == 0) {
                return;
            }
        }
    }

    private static void popHeap(int[] v, int first, int last, int result, Less less) {
        int value = v[result];
        v[result] = v[first];
        adjustHeap(v, first, 0, last - first, value, less);
    }

    private static void adjustHeap(int[] v, int first, int hole, int len, int value, Less less) {
        int top = hole;
        int child = hole;
        while (child < (len - 1) / 2) {
            child = 2 * (child + 1);
            if (less.test(v[first + child], v[first + child - 1])) {
                child--;
            }
            v[first + hole] = v[first + child];
            hole = child;
        }
        if ((len & 1) == 0 && child == (len - 2) / 2) {
            child = 2 * (child + 1);
            v[first + hole] = v[first + child - 1];
            hole = child - 1;
        }
        int parent = (hole - 1) / 2;
        while (hole > top && less.test(v[first + parent], value)) {
            v[first + hole] = v[first + parent];
            hole = parent;
            parent = (hole - 1) / 2;
        }
        v[first + hole] = value;
    }

    private static void swap(int[] v, int i, int j) {
        int tmp = v[i];
        v[i] = v[j];
        v[j] = tmp;
    }

    private static int log2(int n) {
        return 31 - Integer.numberOfLeadingZeros(n);
    }
}
