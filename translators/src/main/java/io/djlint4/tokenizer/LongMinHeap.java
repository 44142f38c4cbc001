package io.djlint4.tokenizer;

import java.util.Arrays;

/** A binary min-heap of primitive longs: the merge queues pack (priority, position) into one long. */
final class LongMinHeap {

    private long[] items = new long[32];
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    void push(long value) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (items[parent] <= value) {
                break;
            }
            items[i] = items[parent];
            i = parent;
        }
        items[i] = value;
    }

    long pop() {
        long top = items[0];
        long last = items[--size];
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            if (child + 1 < size && items[child + 1] < items[child]) {
                child++;
            }
            if (last <= items[child]) {
                break;
            }
            items[i] = items[child];
            i = child;
        }
        items[i] = last;
        return top;
    }
}
