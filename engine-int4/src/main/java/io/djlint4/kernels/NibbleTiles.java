package io.djlint4.kernels;

/**
 * The storage layout shared by the packed 4-bit weight formats: codes of an {@code [rows × cols]}
 * matrix grouped into tiles of {@code width} consecutive rows. Inside a tile, one {@code int} holds
 * eight codes of one row: word {@code (tile, chunk, lane)} holds row {@code tile·width + lane},
 * columns {@code 8·chunk .. 8·chunk + 7}, column {@code 8·chunk + j} in bits {@code 4j .. 4j+3}.
 *
 * <p>Why: a kernel loads the {@code width} words of one chunk as int vectors (one lane per output
 * row) and gets the codes of one input column for all rows of the tile without any transpose or
 * lane shuffle. INT4 codes are stored <em>biased</em> so that one AND and one int-to-float
 * conversion decode them: {@code word & (0xF << 4j)} converted to float is {@code v·16^j}, where
 * {@code v} is the nibble read unsigned for {@code j < 7} and signed (two's complement, bit 31 is
 * the sign) for {@code j = 7}. The kernels fold {@code 16^−j} into the activations and add the
 * per-column bias {@link #int4Bias} back ({@code code = v + bias}). Rows past {@code rows} and
 * columns past {@code cols} are padding.
 */
final class NibbleTiles {

    /** Codes per word. */
    static final int CHUNK = 8;

    /** Tile width used when a format is built without an explicit width. */
    static final int DEFAULT_WIDTH =
            VectorSupport.isAvailable() ? VectorKernels.tileWidth() : 16;

    final int rows;
    final int cols;
    final int width;
    final int tiles;
    final int chunks;
    final int[] words;

    NibbleTiles(int rows, int cols, int width) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("empty matrix " + rows + "x" + cols);
        }
        if (width < 1 || width % 4 != 0) {
            throw new IllegalArgumentException("tile width must be a positive multiple of 4: " + width);
        }
        this.rows = rows;
        this.cols = cols;
        this.width = width;
        this.tiles = (rows + width - 1) / width;
        this.chunks = (cols + CHUNK - 1) / CHUNK;
        this.words = new int[tiles * chunks * width];
    }

    /**
     * Returns the word index of the first lane of {@code chunk} in {@code tile}.
     *
     * @param tile the tile
     * @param chunk the chunk of eight columns
     * @return the index into {@link #words}
     */
    int wordIndex(int tile, int chunk) {
        return (tile * chunks + chunk) * width;
    }

    private int wordOf(int row, int col) {
        return wordIndex(row / width, col / CHUNK) + row % width;
    }

    /**
     * Stores the eight raw 4-bit fields of one row's chunk at once, column {@code 8·chunk + j} in
     * bits {@code 4j..4j+3}: what eight {@link #setNibble} calls store.
     *
     * @param row the row
     * @param chunk the chunk of eight columns
     * @param word the fields
     */
    void setWord(int row, int chunk, int word) {
        words[wordOf(row, chunk * CHUNK)] = word;
    }

    /**
     * Returns the raw 4-bit field of an element.
     *
     * @param row the row
     * @param col the column
     * @return the nibble, 0..15
     */
    int nibble(int row, int col) {
        return (words[wordOf(row, col)] >>> (4 * (col % CHUNK))) & 0xF;
    }

    /**
     * Stores the raw 4-bit field of an element.
     *
     * @param row the row
     * @param col the column
     * @param nibble the value; only its low four bits are kept
     */
    void setNibble(int row, int col, int nibble) {
        int shift = 4 * (col % CHUNK);
        int i = wordOf(row, col);
        words[i] = (words[i] & ~(0xF << shift)) | ((nibble & 0xF) << shift);
    }

    /**
     * Returns the bias to add to a decoded nibble of column {@code col} to get the INT4 code:
     * signed codes store {@code code + 8} below the top nibble and {@code code} in it; unsigned
     * codes store {@code code} below the top nibble and {@code code − 8} in it.
     *
     * @param col the column
     * @param signed whether codes are {@code -8..7} (else {@code 0..15})
     * @return the bias, −8, 0 or 8
     */
    static int int4Bias(int col, boolean signed) {
        boolean top = col % CHUNK == CHUNK - 1;
        if (signed) {
            return top ? 0 : -8;
        }
        return top ? 8 : 0;
    }

    /**
     * Stores an INT4 code in its biased form.
     *
     * @param row the row
     * @param col the column
     * @param code {@code -8..7} when {@code signed}, else {@code 0..15}
     * @param signed the code range
     */
    void setInt4(int row, int col, int code, boolean signed) {
        setNibble(row, col, code - int4Bias(col, signed));
    }

    /**
     * Reads an INT4 code stored by {@link #setInt4}.
     *
     * @param row the row
     * @param col the column
     * @param signed the code range
     * @return the code
     */
    int int4(int row, int col, boolean signed) {
        int n = nibble(row, col);
        int v = col % CHUNK == CHUNK - 1 ? (n ^ 8) - 8 : n;
        return v + int4Bias(col, signed);
    }

    /**
     * Returns the packed size in bytes (padding included).
     *
     * @return bytes of code storage
     */
    long bytes() {
        return 4L * words.length;
    }
}
