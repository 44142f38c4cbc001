package io.djlint4.kernels;

/**
 * INT4 weights {@code W [rows × cols]} whose scale groups run along the output channels inside each
 * input channel (the "per-IC" layout of AdaDim, ALGORITHMS.md §6.2): rows {@code G·g .. G·g + g − 1}
 * of column {@code k} share scale {@code s[G][k]} and zero point {@code z[G][k]}. Requires {@code
 * rows % groupSize == 0}.
 *
 * <p>Codes are stored in the {@link NibbleTiles} layout; scales and zero points row-major {@code
 * [rows / groupSize, cols]}, which is the order a GEMV reads them in (one pre-scaled activation
 * vector per output group). Symmetric codes are {@code -8..7} and decode to {@code q·s};
 * asymmetric codes are {@code 0..15} and decode to {@code (q − z)·s}.
 */
public final class PackedInt4PerIcMatrix {

    private static final float MIN_RANGE = 1e-5f;

    private final NibbleTiles tiles;
    private final int groupSize;
    private final boolean symmetric;
    private final float[] scales;
    private final float[] zeros;

    private PackedInt4PerIcMatrix(int rows, int cols, int groupSize, boolean symmetric, int width) {
        if (groupSize < 1 || rows % groupSize != 0) {
            throw new IllegalArgumentException(
                    "per-IC groups need rows % groupSize == 0: rows=" + rows + " group=" + groupSize);
        }
        this.tiles = new NibbleTiles(rows, cols, width);
        this.groupSize = groupSize;
        this.symmetric = symmetric;
        this.scales = new float[rows / groupSize * cols];
        this.zeros = symmetric ? null : new float[rows / groupSize * cols];
    }

    /**
     * Quantizes a float matrix by round-to-nearest, one group per {@code groupSize} output channels
     * of each input channel. Asymmetric groups follow AdaDim: the range is the group's own min/max
     * (zero not forced in), the zero point is clamped to {@code 0..15}.
     *
     * @param w the weights, row-major {@code [rows, cols]}
     * @param rows output channels, a multiple of {@code groupSize}
     * @param cols input channels
     * @param groupSize output channels per group
     * @param symmetric signed codes without zero point when {@code true}
     * @return the packed matrix
     */
    public static PackedInt4PerIcMatrix quantize(
            float[] w, int rows, int cols, int groupSize, boolean symmetric) {
        return quantize(w, rows, cols, groupSize, symmetric, NibbleTiles.DEFAULT_WIDTH);
    }

    /**
     * Like {@link #quantize(float[], int, int, int, boolean)} with an explicit tile width.
     *
     * @param w the weights {@code [rows, cols]}
     * @param rows output channels
     * @param cols input channels
     * @param groupSize output channels per group
     * @param symmetric signed codes when {@code true}
     * @param tileWidth rows per tile, a multiple of 4
     * @return the packed matrix
     */
    public static PackedInt4PerIcMatrix quantize(
            float[] w, int rows, int cols, int groupSize, boolean symmetric, int tileWidth) {
        if ((long) rows * cols > w.length) {
            throw new IllegalArgumentException("weight array too small for " + rows + "x" + cols);
        }
        PackedInt4PerIcMatrix m = new PackedInt4PerIcMatrix(rows, cols, groupSize, symmetric, tileWidth);
        for (int g = 0; g < rows / groupSize; g++) {
            for (int k = 0; k < cols; k++) {
                float lo = Float.POSITIVE_INFINITY;
                float hi = Float.NEGATIVE_INFINITY;
                for (int o = g * groupSize; o < (g + 1) * groupSize; o++) {
                    lo = Math.min(lo, w[o * cols + k]);
                    hi = Math.max(hi, w[o * cols + k]);
                }
                float s;
                int z;
                if (symmetric) {
                    s = Math.max(Math.max(-lo, hi), MIN_RANGE) / 7f;
                    z = 0;
                } else {
                    s = Math.max(hi - lo, MIN_RANGE) / 15f;
                    z = Math.max(0, Math.min(15, (int) -Math.rint(lo / s)));
                    m.zeros[g * cols + k] = z;
                }
                m.scales[g * cols + k] = s;
                for (int o = g * groupSize; o < (g + 1) * groupSize; o++) {
                    int q = (int) Math.rint(w[o * cols + k] / s) + z;
                    m.tiles.setInt4(
                            o,
                            k,
                            symmetric ? Math.max(-8, Math.min(7, q)) : Math.max(0, Math.min(15, q)),
                            symmetric);
                }
            }
        }
        return m;
    }

    /**
     * Packs codes a quantization method computed.
     *
     * @param codes row-major {@code [rows, cols]}; {@code -8..7} when {@code zeroPoints} is null,
     *     else {@code 0..15}
     * @param scales {@code [rows / groupSize, cols]}
     * @param zeroPoints {@code [rows / groupSize, cols]} in {@code 0..15}, or {@code null}
     * @param rows output channels
     * @param cols input channels
     * @param groupSize output channels per group
     * @return the packed matrix
     */
    public static PackedInt4PerIcMatrix fromCodes(
            byte[] codes, float[] scales, byte[] zeroPoints, int rows, int cols, int groupSize) {
        boolean symmetric = zeroPoints == null;
        PackedInt4PerIcMatrix m =
                new PackedInt4PerIcMatrix(rows, cols, groupSize, symmetric, NibbleTiles.DEFAULT_WIDTH);
        int params = rows / groupSize * cols;
        if ((long) rows * cols > codes.length
                || params > scales.length
                || (!symmetric && params > zeroPoints.length)) {
            throw new IllegalArgumentException("codes/scales/zero points too small for the shape");
        }
        System.arraycopy(scales, 0, m.scales, 0, params);
        if (!symmetric) {
            for (int i = 0; i < params; i++) {
                if (zeroPoints[i] < 0 || zeroPoints[i] > 15) {
                    throw new IllegalArgumentException("zero point outside 0..15: " + zeroPoints[i]);
                }
                m.zeros[i] = zeroPoints[i];
            }
        }
        int lo = symmetric ? -8 : 0;
        for (int o = 0; o < rows; o++) {
            for (int k = 0; k < cols; k++) {
                int q = codes[o * cols + k];
                if (q < lo || q > lo + 15) {
                    throw new IllegalArgumentException("code outside " + lo + ".." + (lo + 15) + ": " + q);
                }
                m.tiles.setInt4(o, k, q, symmetric);
            }
        }
        return m;
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
     * Returns the output channels per group.
     *
     * @return the group size
     */
    public int groupSize() {
        return groupSize;
    }

    /**
     * Returns whether codes are signed without zero point.
     *
     * @return {@code true} for symmetric
     */
    public boolean symmetric() {
        return symmetric;
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
     * @return {@code -8..7} (symmetric) or {@code 0..15}
     */
    public int code(int row, int col) {
        return tiles.int4(row, col, symmetric);
    }

    /**
     * Returns the scale of the group holding an element.
     *
     * @param row the output channel
     * @param col the input channel
     * @return the scale
     */
    public float scale(int row, int col) {
        return scales[row / groupSize * tiles.cols + col];
    }

    /**
     * Returns the zero point of the group holding an element (0 when symmetric).
     *
     * @param row the output channel
     * @param col the input channel
     * @return the zero point
     */
    public int zeroPoint(int row, int col) {
        return zeros == null ? 0 : (int) zeros[row / groupSize * tiles.cols + col];
    }

    /**
     * Unpacks all codes.
     *
     * @return row-major {@code [rows, cols]} codes
     */
    public byte[] codes() {
        byte[] c = new byte[tiles.rows * tiles.cols];
        for (int o = 0; o < tiles.rows; o++) {
            for (int k = 0; k < tiles.cols; k++) {
                c[o * tiles.cols + k] = (byte) code(o, k);
            }
        }
        return c;
    }

    /**
     * Decodes the whole matrix.
     *
     * @return row-major {@code [rows, cols]} floats
     */
    public float[] dequantize() {
        float[] w = new float[tiles.rows * tiles.cols];
        for (int o = 0; o < tiles.rows; o++) {
            for (int k = 0; k < tiles.cols; k++) {
                w[o * tiles.cols + k] = (code(o, k) - zeroPoint(o, k)) * scale(o, k);
            }
        }
        return w;
    }

    /**
     * Returns the bytes a kernel streams per product: codes plus 4-byte scales and zero points.
     *
     * @return the weight footprint in bytes
     */
    public long packedBytes() {
        long codes = ((long) tiles.rows * tiles.cols + 1) / 2;
        return codes + (symmetric ? 4L : 8L) * scales.length;
    }

    NibbleTiles tiles() {
        return tiles;
    }

    float[] groupScales() {
        return scales;
    }

    float[] groupZeros() {
        return zeros;
    }
}
