package io.djlint4.kernels;

/**
 * Dot products of float inputs with bfloat16 rows of a {@link Bf16Matrix}. The input comes split
 * into its even and odd columns, matching the low and high halves of the packed ints.
 */
interface Bf16Dot {

    /**
     * Computes one row's dot product with one input.
     *
     * @param even the input's even columns, {@code pairs} values from {@code xOff}
     * @param odd the input's odd columns (0 past the last column)
     * @param xOff the offset of the input in both arrays
     * @param words the packed matrix
     * @param wOff the row's first int
     * @param pairs ints to use
     * @return the sum
     */
    float dot(float[] even, float[] odd, int xOff, int[] words, int wOff, int pairs);

    /**
     * Computes four rows' dot products with one input.
     *
     * @param even the input's even columns, {@code pairs} values from {@code xOff}
     * @param odd the input's odd columns (0 past the last column)
     * @param xOff the offset of the input in both arrays
     * @param words the packed matrix
     * @param wOff the first int of the first row
     * @param wStride ints per row
     * @param pairs ints per row to use
     * @param out receives four sums from {@code outOff}
     * @param outOff where the sums go
     */
    void dot4(float[] even, float[] odd, int xOff, int[] words, int wOff, int wStride, int pairs, float[] out, int outOff);
}
