package io.djlint4.kernels.gguf;

/**
 * A weight matrix {@code [rows, cols]} held as the GGML blocks of a GGUF tensor, byte for byte:
 * each row is {@code cols / blockSize} consecutive blocks of one {@link BlockFormat}, rows one
 * after another, as ggml lays out a 2-D tensor whose innermost dimension is {@code cols}.
 */
public final class GgufMatrix {

    private final BlockFormat format;
    private final int rows;
    private final int cols;
    private final int rowBytes;
    private final byte[] data;
    /** The blocks' fp16 fields widened, when the format's row kernel reads them; else null. */
    private final float[] halves;

    /**
     * Wraps encoded rows; the array is used as it is, not copied.
     *
     * @param format the block type
     * @param rows the number of rows (output features)
     * @param cols the row length (input features), a multiple of the block size
     * @param data {@code rows} rows of encoded blocks
     */
    public GgufMatrix(BlockFormat format, int rows, int cols, byte[] data) {
        this.format = format;
        this.rows = rows;
        this.cols = cols;
        this.rowBytes = format.rowBytes(cols);
        if (rows < 0 || (long) rows * rowBytes != data.length) {
            throw new IllegalArgumentException(
                    format.typeName() + " matrix [" + rows + ", " + cols + "] needs " + (long) rows * rowBytes
                            + " bytes, got " + data.length);
        }
        this.data = data;
        this.halves = format.readsWidenedHalves() ? widenHalves(format, data) : null;
    }

    /**
     * Widens every block's fp16 fields to float once: Java 17 has no fp16 load, and converting
     * them in the row kernels cost a sixth of a Q4_1 row's time (+2 bits per weight for Q4_1, +1
     * for Q4_0 and Q8_0).
     */
    private static float[] widenHalves(BlockFormat format, byte[] data) {
        int[] offsets = format.halfFieldOffsets();
        int typeSize = format.typeSize();
        int blocks = data.length / typeSize;
        float[] halves = new float[blocks * offsets.length];
        for (int b = 0, h = 0; b < blocks; b++) {
            for (int off : offsets) {
                halves[h++] = BlockBytes.half(data, b * typeSize + off);
            }
        }
        return halves;
    }

    /**
     * Returns the block type.
     *
     * @return the format
     */
    public BlockFormat format() {
        return format;
    }

    /**
     * Returns the number of rows.
     *
     * @return the rows
     */
    public int rows() {
        return rows;
    }

    /**
     * Returns the blocks' fp16 fields widened to float, in block order, when the format {@link
     * BlockFormat#readsWidenedHalves() reads them}; else {@code null}.
     *
     * @return the widened fields, not copied, or null
     */
    float[] halves() {
        return halves;
    }

    /**
     * Returns the row length.
     *
     * @return the columns
     */
    public int cols() {
        return cols;
    }

    /**
     * Returns the bytes of one row.
     *
     * @return the row size
     */
    public int rowBytes() {
        return rowBytes;
    }

    /**
     * Returns the blocks of one row.
     *
     * @return the row length in blocks
     */
    public int blocksPerRow() {
        return cols / format.blockSize();
    }

    /**
     * Returns the encoded rows (the stored array, not a copy).
     *
     * @return the bytes
     */
    public byte[] data() {
        return data;
    }

    /**
     * Expands one row to floats (on the fastest path, equal to the dequantize reference).
     *
     * @param row the row
     * @param dst receives {@code cols} values
     * @param dstOff the index of the first value
     */
    public void dequantizeRow(int row, float[] dst, int dstOff) {
        format.expand(data, row * rowBytes, dst, dstOff, blocksPerRow());
    }

    /**
     * Expands the whole matrix, row-major.
     *
     * @return {@code rows * cols} values
     */
    public float[] dequantize() {
        float[] out = new float[Math.multiplyExact(rows, cols)];
        format.dequantize(data, 0, out, 0, rows * blocksPerRow());
        return out;
    }

    /**
     * Finds the first block whose fp16 fields are infinite or NaN ({@link
     * BlockFormat#halfFieldOffsets()}), reading only those fields.
     *
     * @return the index of the block's first value (row-major over the matrix), or -1 when every
     *     value is finite
     */
    public long firstNonFiniteBlockValue() {
        int[] offsets = format.halfFieldOffsets();
        int typeSize = format.typeSize();
        long blocks = (long) rows * blocksPerRow();
        for (long b = 0; b < blocks; b++) {
            int p = (int) (b * typeSize);
            for (int off : offsets) {
                // An fp16 with all five exponent bits set is infinite or NaN.
                if ((data[p + off + 1] & 0x7C) == 0x7C) {
                    return b * format.blockSize();
                }
            }
        }
        return -1;
    }

    /**
     * Returns a matrix whose row {@code i} is this one's row {@code order[i]}; rows are whole
     * blocks, so a permutation of output features moves bytes without touching a value.
     *
     * @param order the source row of each row, a permutation of {@code [0, rows)}
     * @return the permuted matrix
     */
    public GgufMatrix permuteRows(int[] order) {
        if (order.length != rows) {
            throw new IllegalArgumentException(order.length + " rows in the permutation, the matrix has " + rows);
        }
        byte[] out = new byte[data.length];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(data, order[i] * rowBytes, out, i * rowBytes, rowBytes);
        }
        return new GgufMatrix(format, rows, cols, out);
    }
}
