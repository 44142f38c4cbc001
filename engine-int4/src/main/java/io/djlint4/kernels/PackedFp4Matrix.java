package io.djlint4.kernels;

/**
 * FP4 weights {@code W [rows × cols]} in one {@link Fp4Format} (LLM-FP4, ALGORITHMS.md §5): a
 * 4-bit code per element, a real scale per output row (the row's unit {@code 2^(1 − M − β_o)}, i.e.
 * its real exponent bias), and an optional integer exponent shift {@code k_j ≥ 0} per input channel.
 *
 * <p>The matrix stands for {@code W[o][j] = k(code)·unit_o·2^(−k_j)}: the shifts are the activation
 * quantizer's per-channel bias offsets (§5.4) folded into the weight. Folding is applied to the
 * decoded weight, never before quantization, as the parity note of §5.4 requires. Codes sit in
 * the {@link NibbleTiles} layout; row units are stored per tile for vector loads.
 */
public final class PackedFp4Matrix {

    private final NibbleTiles tiles;
    private final Fp4Format format;
    private final float[] tileUnits;
    private final int[] shifts;
    private final float[] channelFactors;

    private PackedFp4Matrix(int rows, int cols, Fp4Format format, int[] channelShifts, int width) {
        this.tiles = new NibbleTiles(rows, cols, width);
        this.format = format;
        this.tileUnits = new float[tiles.tiles * width];
        this.shifts = new int[cols];
        this.channelFactors = new float[cols];
        for (int j = 0; j < cols; j++) {
            int k = channelShifts == null ? 0 : channelShifts[j];
            if (k < 0 || k > 126) {
                throw new IllegalArgumentException("channel shift out of range: " + k);
            }
            shifts[j] = k;
            channelFactors[j] = Math.scalb(1f, -k);
        }
    }

    /**
     * Quantizes a float matrix with one unit per row placed on the row's maximum ("MinMax" of
     * LLM-FP4) and no channel shifts.
     *
     * @param w the weights, row-major {@code [rows, cols]}
     * @param rows output channels
     * @param cols input channels
     * @param format the FP4 format
     * @return the packed matrix
     */
    public static PackedFp4Matrix quantize(float[] w, int rows, int cols, Fp4Format format) {
        return quantize(w, rows, cols, format, null, null, NibbleTiles.DEFAULT_WIDTH);
    }

    /**
     * Quantizes a float matrix with given row units (e.g. from a bias search) and folds channel
     * shifts into the decoded weight.
     *
     * @param w the weights {@code [rows, cols]}, not pre-shifted
     * @param rows output channels
     * @param cols input channels
     * @param format the FP4 format
     * @param rowUnits the unit of each row, or {@code null} to place each row's maximum on the
     *     format's largest value
     * @param channelShifts {@code k_j} per input channel, or {@code null} for none
     * @param tileWidth rows per storage tile, a multiple of 4
     * @return the packed matrix
     */
    public static PackedFp4Matrix quantize(
            float[] w,
            int rows,
            int cols,
            Fp4Format format,
            float[] rowUnits,
            int[] channelShifts,
            int tileWidth) {
        if ((long) rows * cols > w.length) {
            throw new IllegalArgumentException("weight array too small for " + rows + "x" + cols);
        }
        PackedFp4Matrix m = new PackedFp4Matrix(rows, cols, format, channelShifts, tileWidth);
        for (int o = 0; o < rows; o++) {
            float unit;
            if (rowUnits != null) {
                unit = rowUnits[o];
            } else {
                float a = 0f;
                for (int j = 0; j < cols; j++) {
                    a = Math.max(a, Math.abs(w[o * cols + j]));
                }
                unit = a == 0f ? 1f : a / format.maxMagnitude();
            }
            m.setUnit(o, unit);
            for (int j = 0; j < cols; j++) {
                m.tiles.setNibble(o, j, format.encode(w[o * cols + j] / unit));
            }
        }
        return m;
    }

    /**
     * Packs codes a quantization method computed.
     *
     * @param codes row-major {@code [rows, cols]} nibbles {@code sign<<3 | p<<M | f}, 0..15
     * @param rowUnits the unit of each row
     * @param channelShifts {@code k_j} per input channel, or {@code null}
     * @param rows output channels
     * @param cols input channels
     * @param format the FP4 format
     * @return the packed matrix
     */
    public static PackedFp4Matrix fromCodes(
            byte[] codes, float[] rowUnits, int[] channelShifts, int rows, int cols, Fp4Format format) {
        PackedFp4Matrix m =
                new PackedFp4Matrix(rows, cols, format, channelShifts, NibbleTiles.DEFAULT_WIDTH);
        for (int o = 0; o < rows; o++) {
            m.setUnit(o, rowUnits[o]);
            for (int j = 0; j < cols; j++) {
                int c = codes[o * cols + j];
                if (c < 0 || c > 15) {
                    throw new IllegalArgumentException("FP4 code outside 0..15: " + c);
                }
                m.tiles.setNibble(o, j, c);
            }
        }
        return m;
    }

    private void setUnit(int row, float unit) {
        tileUnits[row] = unit;
    }

    /**
     * Returns the number of output channels.
     *
     * @return rows
     */
    public int rows() {
        return tiles.rows;
    }

    /**
     * Returns the number of input channels.
     *
     * @return cols
     */
    public int cols() {
        return tiles.cols;
    }

    /**
     * Returns the format of the codes.
     *
     * @return the format
     */
    public Fp4Format format() {
        return format;
    }

    /**
     * Returns the rows per storage tile.
     *
     * @return the tile width
     */
    public int tileWidth() {
        return tiles.width;
    }

    /**
     * Returns one code.
     *
     * @param row the output channel
     * @param col the input channel
     * @return the nibble, 0..15
     */
    public int code(int row, int col) {
        return tiles.nibble(row, col);
    }

    /**
     * Returns the unit (real scale) of a row.
     *
     * @param row the output channel
     * @return {@code 2^(1 − M − β_row)}
     */
    public float rowUnit(int row) {
        return tileUnits[row];
    }

    /**
     * Returns the exponent shift folded into an input channel.
     *
     * @param col the input channel
     * @return {@code k_col}
     */
    public int channelShift(int col) {
        return shifts[col];
    }

    /**
     * Unpacks all codes.
     *
     * @return row-major {@code [rows, cols]} nibbles
     */
    public byte[] codes() {
        byte[] c = new byte[tiles.rows * tiles.cols];
        for (int o = 0; o < tiles.rows; o++) {
            for (int j = 0; j < tiles.cols; j++) {
                c[o * tiles.cols + j] = (byte) code(o, j);
            }
        }
        return c;
    }

    /**
     * Decodes the whole matrix, channel shifts included.
     *
     * @return row-major {@code [rows, cols]} floats {@code k·unit_o·2^(−k_j)}
     */
    public float[] dequantize() {
        float[] w = new float[tiles.rows * tiles.cols];
        for (int o = 0; o < tiles.rows; o++) {
            for (int j = 0; j < tiles.cols; j++) {
                w[o * tiles.cols + j] =
                        format.integerValue(code(o, j)) * channelFactors[j] * tileUnits[o];
            }
        }
        return w;
    }

    /**
     * Returns the bytes a kernel streams per product: codes and 4-byte row units.
     *
     * @return the weight footprint in bytes
     */
    public long packedBytes() {
        return ((long) tiles.rows * tiles.cols + 1) / 2 + 4L * tiles.rows;
    }

    NibbleTiles tiles() {
        return tiles;
    }

    /** Row units, indexed by row (padded to whole tiles). */
    float[] tileUnits() {
        return tileUnits;
    }

    /** {@code 2^(−k_j)} per input channel. */
    float[] channelFactors() {
        return channelFactors;
    }
}
