package io.djlint4.kernels;

/**
 * A weight matrix in bfloat16, the upper half of a float: each value rounded to nearest even on
 * its 8-bit mantissa. Two columns share one int, column {@code 2p} in the low half and {@code
 * 2p+1} in the high half, so a kernel widens them with one shift or one mask; rows of odd length
 * end with a zero half. Half the bytes of float weights, for layers kept in 16 bits.
 */
public final class Bf16Matrix {

    private final int[] words;
    private final int rows;
    private final int cols;
    private final int pairs;

    private Bf16Matrix(int[] words, int rows, int cols) {
        this.words = words;
        this.rows = rows;
        this.cols = cols;
        this.pairs = (cols + 1) / 2;
    }

    /**
     * Rounds a float matrix to bfloat16.
     *
     * @param w row-major {@code [rows, cols]}
     * @param rows the number of rows
     * @param cols the number of columns
     * @return the matrix
     * @throws IllegalArgumentException when {@code w} does not hold {@code rows × cols} values
     */
    public static Bf16Matrix round(float[] w, int rows, int cols) {
        if (rows < 0 || cols < 0 || w.length != (long) rows * cols) {
            throw new IllegalArgumentException(
                    "a " + rows + "x" + cols + " bfloat16 matrix needs " + (long) rows * cols + " values, got " + w.length);
        }
        int pairs = (cols + 1) / 2;
        int[] words = new int[Math.multiplyExact(rows, pairs)];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                words[r * pairs + c / 2] |= toBf16(w[r * cols + c]) << (16 * (c & 1));
            }
        }
        return new Bf16Matrix(words, rows, cols);
    }

    /**
     * Rounds a float to the nearest bfloat16 (ties to even), as this matrix stores its weights.
     *
     * @param v the value
     * @return the bfloat16 value as a float
     */
    public static float roundToBf16(float v) {
        return Float.intBitsToFloat(toBf16(v) << 16);
    }

    /** The bfloat16 bits of a float, rounded to nearest even; NaN stays a (quiet) NaN. */
    static int toBf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) {
            return (bits >>> 16) | 0x40;
        }
        return (bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16;
    }

    /**
     * Returns the number of rows.
     *
     * @return rows
     */
    public int rows() {
        return rows;
    }

    /**
     * Returns the number of columns.
     *
     * @return cols
     */
    public int cols() {
        return cols;
    }

    /**
     * Returns one value, widened to float.
     *
     * @param row the row
     * @param col the column
     * @return the stored value
     */
    public float value(int row, int col) {
        int word = words[row * pairs + col / 2];
        return Float.intBitsToFloat((col & 1) == 0 ? word << 16 : word & 0xFFFF0000);
    }

    /**
     * Returns the stored bytes (two per value, plus one half per odd row).
     *
     * @return bytes
     */
    public long packedBytes() {
        return 4L * words.length;
    }

    int[] words() {
        return words;
    }

    /** Ints per row. */
    int pairs() {
        return pairs;
    }
}
