package io.djlint4.kernels;

/**
 * Runs a product that has a few-rows kernel (GEMV) and a many-rows kernel (GEMM) with different
 * float summation orders, choosing the kernel of each row by the size of its {@link RowGroups
 * group} instead of by the rows of the call: a sequence's rows then take the kernel they take
 * alone, whatever else is in the batch. Both kernels compute each row on its own, so rows of one
 * kind are run together in one call; when both kinds occur, their rows are gathered into compact
 * arrays and the results scattered back.
 */
final class GroupSizeDispatch {

    /** One kernel: {@code y = x · Wᵀ} for {@code rows} compact rows. */
    @FunctionalInterface
    interface Product {
        void apply(float[] x, int rows, float[] y);
    }

    private GroupSizeDispatch() {}

    /**
     * Computes the product of every row.
     *
     * @param x the input {@code [groups.rows(), in]}
     * @param in the input width
     * @param groups the row groups
     * @param out the output width
     * @param y receives {@code [groups.rows(), out]}
     * @param minManyRows the smallest group that takes {@code many}
     * @param few the kernel of rows of smaller groups
     * @param many the kernel of rows of the other groups
     */
    static void run(float[] x, int in, RowGroups groups, int out, float[] y, int minManyRows, Product few, Product many) {
        boolean[] isMany = new boolean[groups.rows()];
        int manyRows = 0;
        for (int g = 0; g < groups.count(); g++) {
            if (groups.size(g) >= minManyRows) {
                manyRows += groups.size(g);
                for (int r = groups.start(g); r < groups.start(g) + groups.size(g); r++) {
                    isMany[r] = true;
                }
            }
        }
        int fewRows = groups.rows() - manyRows;
        if (fewRows == 0) {
            many.apply(x, manyRows, y);
        } else if (manyRows == 0) {
            few.apply(x, fewRows, y);
        } else {
            runSubset(x, in, out, y, isMany, false, fewRows, few);
            runSubset(x, in, out, y, isMany, true, manyRows, many);
        }
    }

    private static void runSubset(
            float[] x, int in, int out, float[] y, boolean[] isMany, boolean kind, int rows, Product p) {
        float[] xs = new float[rows * in];
        float[] ys = new float[rows * out];
        for (int r = 0, i = 0; r < isMany.length; r++) {
            if (isMany[r] == kind) {
                System.arraycopy(x, r * in, xs, i++ * in, in);
            }
        }
        p.apply(xs, rows, ys);
        for (int r = 0, i = 0; r < isMany.length; r++) {
            if (isMany[r] == kind) {
                System.arraycopy(ys, i++ * out, y, r * out, out);
            }
        }
    }
}
