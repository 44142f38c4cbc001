package io.djlint4.kernels;

import java.util.Arrays;

/**
 * The rows of one product split into consecutive groups whose results must not depend on each
 * other: the sequences of a batch, with each sequence's padding a group of its own. Whatever a
 * layer computes over several rows (Runtime Smooth's channel maxima) it computes per group, and a
 * kernel whose arithmetic depends on the number of rows (GEMV or GEMM) chooses it by the size of
 * each row's group, so a sequence gets the same results, bit for bit, in a batch as alone.
 */
public final class RowGroups {

    /** {@code starts[g]} is group g's first row; the last entry is the number of rows. */
    private final int[] starts;

    private RowGroups(int[] starts) {
        this.starts = starts;
    }

    /**
     * Returns one group of all rows: the rows of a single sequence.
     *
     * @param rows the number of rows, at least 1
     * @return the grouping
     */
    public static RowGroups single(int rows) {
        return ofSizes(rows);
    }

    /**
     * Returns consecutive groups of the given sizes.
     *
     * @param sizes the rows of each group, in row order, each at least 1
     * @return the grouping
     * @throws IllegalArgumentException when there is no group or a group is empty
     */
    public static RowGroups ofSizes(int... sizes) {
        if (sizes.length == 0) {
            throw new IllegalArgumentException("at least one row group is needed");
        }
        int[] starts = new int[sizes.length + 1];
        for (int g = 0; g < sizes.length; g++) {
            if (sizes[g] < 1) {
                throw new IllegalArgumentException("row group " + g + " is empty: " + Arrays.toString(sizes));
            }
            starts[g + 1] = Math.addExact(starts[g], sizes[g]);
        }
        return new RowGroups(starts);
    }

    /**
     * Returns {@code count} groups of {@code size} rows each, e.g. one row per sequence of a
     * decode step.
     *
     * @param count the number of groups
     * @param size the rows of each
     * @return the grouping
     */
    public static RowGroups uniform(int count, int size) {
        int[] sizes = new int[count];
        Arrays.fill(sizes, size);
        return ofSizes(sizes);
    }

    /**
     * Returns the number of rows of all groups.
     *
     * @return the rows
     */
    public int rows() {
        return starts[starts.length - 1];
    }

    /**
     * Returns the number of groups.
     *
     * @return the count
     */
    public int count() {
        return starts.length - 1;
    }

    /**
     * Returns a group's first row.
     *
     * @param g the group
     * @return the row
     */
    public int start(int g) {
        return starts[g];
    }

    /**
     * Returns a group's number of rows.
     *
     * @param g the group
     * @return the size
     */
    public int size(int g) {
        return starts[g + 1] - starts[g];
    }

    /**
     * Returns the size of the largest group.
     *
     * @return the rows of the largest group
     */
    public int largest() {
        int max = 0;
        for (int g = 0; g < count(); g++) {
            max = Math.max(max, size(g));
        }
        return max;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RowGroups other && Arrays.equals(starts, other.starts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(starts);
    }

    @Override
    public String toString() {
        return "RowGroups" + Arrays.toString(starts);
    }
}
