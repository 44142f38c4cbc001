package io.djlint4.tokenizer;

import java.util.Arrays;

/**
 * A map from a pair of non-negative ints (two token ids) to an int, with open addressing over
 * primitive arrays, because encoding looks pairs up millions of times. Fixed capacity, no removal.
 */
final class IntPairMap {

    private static final long EMPTY = -1L;

    private final long[] keys;
    private final int[] values;
    private final int mask;
    private int size;
    private final int maxSize;

    /** Creates a map for at most {@code expectedSize} entries. */
    IntPairMap(int expectedSize) {
        int capacity = Integer.highestOneBit(Math.max(4, expectedSize * 2 + 1)) << 1;
        keys = new long[capacity];
        Arrays.fill(keys, EMPTY);
        values = new int[capacity];
        mask = capacity - 1;
        maxSize = expectedSize;
    }

    /** Adds an entry unless the pair is present; the first value for a pair wins. */
    void putIfAbsent(int left, int right, int value) {
        long key = key(left, right);
        int slot = slot(key);
        while (keys[slot] != EMPTY) {
            if (keys[slot] == key) {
                return;
            }
            slot = (slot + 1) & mask;
        }
        if (size == maxSize) {
            throw new IllegalStateException("IntPairMap is full at " + maxSize + " entries");
        }
        keys[slot] = key;
        values[slot] = value;
        size++;
    }

    /** Returns the value for the pair, or -1 when absent. */
    int get(int left, int right) {
        long key = key(left, right);
        for (int slot = slot(key); keys[slot] != EMPTY; slot = (slot + 1) & mask) {
            if (keys[slot] == key) {
                return values[slot];
            }
        }
        return -1;
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private int slot(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask;
    }
}
