package io.djlint4.checkpoint;

/**
 * Converts query/key projection rows between the two rope layouts. In the interleaved-pair layout
 * (Meta's original LLaMA, llama2.c, llama.cpp's "NORM" rope as written by its converter for
 * llama/mistral) channel {@code 2j} of a head rotates with channel {@code 2j+1}; in the
 * rotate-half layout (Hugging Face, llama.cpp's "NEOX") channel {@code j} rotates with {@code j +
 * headDim/2}. Within each head of size {@code D}: rotate-half row {@code j} = interleaved row
 * {@code 2j}, and rotate-half row {@code D/2 + j} = interleaved row {@code 2j + 1}.
 */
public final class RopeLayoutPermutation {

    private RopeLayoutPermutation() {}

    /**
     * Reorders rows from the interleaved layout to the rotate-half layout.
     *
     * @param w a row-major {@code [heads * headDim, cols]} matrix (use {@code cols = 1} for a bias)
     * @param heads the number of heads
     * @param headDim the head dimension (even)
     * @param cols the number of columns
     * @return a new array in the rotate-half layout
     */
    public static float[] interleavedToHalf(float[] w, int heads, int headDim, int cols) {
        check(w, heads, headDim, cols);
        int[] order = interleavedToHalfOrder(heads, headDim);
        float[] out = new float[w.length];
        for (int i = 0; i < order.length; i++) {
            System.arraycopy(w, order[i] * cols, out, i * cols, cols);
        }
        return out;
    }

    /**
     * Returns the row order of {@link #interleavedToHalf}: row {@code i} of the rotate-half matrix
     * is row {@code order[i]} of the interleaved one. For matrices kept in blocks whose rows move
     * whole.
     *
     * @param heads the number of heads
     * @param headDim the head dimension (even)
     * @return the source row of each row
     */
    public static int[] interleavedToHalfOrder(int heads, int headDim) {
        int[] order = new int[heads * headDim];
        int half = headDim / 2;
        for (int h = 0; h < heads; h++) {
            int base = h * headDim;
            for (int j = 0; j < half; j++) {
                order[base + j] = base + 2 * j;
                order[base + half + j] = base + 2 * j + 1;
            }
        }
        return order;
    }

    /**
     * Reorders rows from the rotate-half layout to the interleaved layout (the inverse of {@link
     * #interleavedToHalf}; what llama.cpp's converter applies to llama q/k weights).
     *
     * @param w a row-major {@code [heads * headDim, cols]} matrix (use {@code cols = 1} for a bias)
     * @param heads the number of heads
     * @param headDim the head dimension (even)
     * @param cols the number of columns
     * @return a new array in the interleaved layout
     */
    public static float[] halfToInterleaved(float[] w, int heads, int headDim, int cols) {
        check(w, heads, headDim, cols);
        float[] out = new float[w.length];
        int half = headDim / 2;
        for (int h = 0; h < heads; h++) {
            int base = h * headDim;
            for (int j = 0; j < half; j++) {
                System.arraycopy(w, (base + j) * cols, out, (base + 2 * j) * cols, cols);
                System.arraycopy(w, (base + half + j) * cols, out, (base + 2 * j + 1) * cols, cols);
            }
        }
        return out;
    }

    private static void check(float[] w, int heads, int headDim, int cols) {
        if (headDim % 2 != 0 || (long) heads * headDim * cols != w.length) {
            throw new IllegalArgumentException(
                    "cannot permute "
                            + w.length
                            + " values as "
                            + heads
                            + " heads of "
                            + headDim
                            + " rows of "
                            + cols
                            + " columns");
        }
    }
}
