package io.djlint4.kernels.gguf;

/**
 * One GGML block type, everything about it in one place as ggml keeps it: the byte layout of a
 * block, the scalar dequantize reference, and the row products a linear layer runs on the blocks as
 * they are in the file, against float activations and against 8-bit activations ({@link
 * Q8Activations}). Implementations are stateless singletons listed in {@link BlockFormats}.
 *
 * <p>A row of a matrix is {@code blocks} consecutive blocks; {@code wOff} is the byte index of the
 * first one. Products whose name ends in {@code Reference} are the plain scalar code the fast ones
 * (the Vector API when {@link io.djlint4.kernels.VectorSupport#isAvailable()}) are tested against.
 */
public interface BlockFormat {

    /**
     * Returns the {@code ggml_type} id stored in GGUF tensor infos.
     *
     * @return the id
     */
    int ggmlType();

    /**
     * Returns ggml's name of the type, e.g. {@code Q4_0}.
     *
     * @return the name
     */
    String typeName();

    /**
     * Returns the number of values in one block.
     *
     * @return 32 or 256
     */
    int blockSize();

    /**
     * Returns the number of bytes of one block.
     *
     * @return the type size
     */
    int typeSize();

    /**
     * Expands blocks to floats, as ggml's {@code dequantize_row_*}: the scalar reference every
     * product is measured against.
     *
     * @param src the encoded bytes, little-endian
     * @param srcOff the byte index of the first block
     * @param dst receives {@code blocks * blockSize()} values
     * @param dstOff the index of the first value in {@code dst}
     * @param blocks the number of blocks
     */
    void dequantize(byte[] src, int srcOff, float[] dst, int dstOff, int blocks);

    /**
     * Returns the byte offsets, inside a block, of its fp16 fields (scales, minimums). Every other
     * field is a small integer, so a block expands to finite values exactly when these fields are
     * finite, which lets a loader check a tensor without expanding it.
     *
     * @return the offsets, a new array
     */
    int[] halfFieldOffsets();

    /**
     * Expands blocks to floats on the fastest path available, equal to {@link #dequantize} value
     * for value: what a product over many input rows expands each weight row with once.
     *
     * @param src the encoded bytes, little-endian
     * @param srcOff the byte index of the first block
     * @param dst receives {@code blocks * blockSize()} values
     * @param dstOff the index of the first value in {@code dst}
     * @param blocks the number of blocks
     */
    default void expand(byte[] src, int srcOff, float[] dst, int dstOff, int blocks) {
        dequantize(src, srcOff, dst, dstOff, blocks);
    }

    /**
     * Returns {@code Σ w[k]·x[k]} over {@code blocks} blocks, on the fastest path available.
     *
     * @param w the encoded weight bytes
     * @param wOff the byte index of the first block
     * @param x the float activations
     * @param xOff the index of the activation matching the first weight
     * @param blocks the number of blocks
     * @return the dot product
     */
    float dot(byte[] w, int wOff, float[] x, int xOff, int blocks);

    /**
     * Whether {@link #dotRows} reads the blocks' fp16 fields from a widened copy, which {@link
     * GgufMatrix} then keeps beside the blocks.
     *
     * @return true for the types with a row-pair kernel
     */
    default boolean readsWidenedHalves() {
        return false;
    }

    /**
     * Computes the products of {@code count} consecutive weight rows with one input row, {@code
     * y[yOff + r] = row r · x}, on the fastest path available. Types that {@link
     * #readsWidenedHalves()} take the fp16 fields of every block from {@code halves}, widened to
     * float in block order ({@link #halfFieldOffsets()} order inside a block); the others ignore it.
     * Equal to {@link #dot} per row within float rounding.
     *
     * @param w the encoded weight bytes
     * @param wOff the byte index of the first row's first block
     * @param rowBytes the bytes of one row
     * @param halves the widened fp16 fields of the matrix, or {@code null} when not read
     * @param hOff the index in {@code halves} of the first row's first field
     * @param x the float activations
     * @param xOff the index of the activation matching the first weight of a row
     * @param blocks the blocks per row
     * @param y receives the {@code count} products
     * @param yOff the index of the first product
     * @param count the number of rows
     */
    default void dotRows(
            byte[] w, int wOff, int rowBytes, float[] halves, int hOff, float[] x, int xOff, int blocks, float[] y,
            int yOff, int count) {
        for (int r = 0; r < count; r++) {
            y[yOff + r] = dot(w, wOff + r * rowBytes, x, xOff, blocks);
        }
    }

    /**
     * {@link #dotRows} for four input rows at once, {@code x} rows {@code xStride} apart and
     * {@code y} rows {@code yStride} apart: each product equals what {@link #dotRows} gives for
     * that input row alone, bit for bit (types with a kernel for it expand each weight block once
     * for the four rows instead of once per row).
     *
     * @param w the encoded weight bytes
     * @param wOff the byte index of the first row's first block
     * @param rowBytes the bytes of one row
     * @param halves the widened fp16 fields, as for {@link #dotRows}
     * @param hOff the index in {@code halves} of the first row's first field
     * @param x the float activations
     * @param xOff the index of the first input row's first activation
     * @param xStride the distance between input rows
     * @param blocks the blocks per row
     * @param y receives the products
     * @param yOff the index of the first input row's first product
     * @param yStride the distance between the input rows' products
     * @param count the number of weight rows
     */
    default void dotRows4(
            byte[] w, int wOff, int rowBytes, float[] halves, int hOff, float[] x, int xOff, int xStride, int blocks,
            float[] y, int yOff, int yStride, int count) {
        for (int r = 0; r < 4; r++) {
            dotRows(w, wOff, rowBytes, halves, hOff, x, xOff + r * xStride, blocks, y, yOff + r * yStride, count);
        }
    }

    /**
     * The scalar reference of {@link #dot}.
     *
     * @param w the encoded weight bytes
     * @param wOff the byte index of the first block
     * @param x the float activations
     * @param xOff the index of the activation matching the first weight
     * @param blocks the number of blocks
     * @return the dot product
     */
    float dotReference(byte[] w, int wOff, float[] x, int xOff, int blocks);

    /**
     * Returns {@code Σ w[k]·a[k]} over {@code blocks} blocks with 8-bit activations quantized per
     * block of 32 ({@link Q8Activations}), as ggml's {@code vec_dot_*_q8_*}: integer sums inside
     * each block, scaled in float; on the fastest path available.
     *
     * @param w the encoded weight bytes
     * @param wOff the byte index of the first block
     * @param a the quantized activations
     * @param aOff the index of the activation value matching the first weight (a multiple of 32)
     * @param blocks the number of weight blocks
     * @return the dot product
     */
    float dotQ8(byte[] w, int wOff, Q8Activations a, int aOff, int blocks);

    /**
     * The scalar reference of {@link #dotQ8}; its integer sums are exact, so the fast path
     * differs from it only by the order of the float operations that scale them.
     *
     * @param w the encoded weight bytes
     * @param wOff the byte index of the first block
     * @param a the quantized activations
     * @param aOff the index of the activation value matching the first weight (a multiple of 32)
     * @param blocks the number of weight blocks
     * @return the dot product
     */
    float dotQ8Reference(byte[] w, int wOff, Q8Activations a, int aOff, int blocks);

    /**
     * Returns the number of bytes of a row of {@code values} values.
     *
     * @param values the row length, a multiple of {@link #blockSize()}
     * @return the byte count
     */
    default int rowBytes(int values) {
        if (values % blockSize() != 0) {
            throw new IllegalArgumentException(
                    typeName() + " rows hold whole blocks of " + blockSize() + " values, got " + values);
        }
        return values / blockSize() * typeSize();
    }
}
