package io.djlint4.kernels;

/**
 * INT4 weights {@code W [rows × cols]} (rows = output channels, cols = input channels) with scales
 * per output channel or per group of {@code groupSize} consecutive input channels of a row (the
 * "per-OC" layout).
 *
 * <p>Symmetric codes are signed, {@code -8..7}, and decode to {@code q·s}; asymmetric codes are
 * {@code 0..15} with a zero point {@code z} per group and decode to {@code (q − z)·s}. Codes sit in
 * the {@link NibbleTiles} layout; scales and zero points are stored per tile as {@code [tile][group]
 * [lane]} so a kernel loads the values of all rows of a tile with one vector load.
 *
 * <p>A quantization method either calls {@link #quantize} (round-to-nearest, ALGORITHMS.md §2.1) or
 * computes codes itself (GPTQ, clipping search…) and calls {@link #fromCodes}.
 */
public final class PackedInt4Matrix {

    /** Smallest scale range for all-zero groups, as the weight quantizers of §2.1 clamp it. */
    private static final float MIN_RANGE = 1e-5f;

    private final NibbleTiles tiles;
    private final int groupSize;
    private final int groups;
    private final boolean symmetric;
    private final float[] tileScales;
    private final float[] tileZeros;
    /** Set once while packing; only {@link #fromFractionalZeros} can clear it. */
    private boolean integerZeroPoints = true;
    /** Racy but idempotent: every thread computes the same array. */
    private volatile float[] tileScaledZeros;
    /** Racy but idempotent, like {@link #tileScaledZeros}. */
    private volatile int[] tileIntegerZeros;

    private PackedInt4Matrix(int rows, int cols, int groupSize, boolean symmetric, int width) {
        this.tiles = new NibbleTiles(rows, cols, width);
        this.groupSize = normalizeGroup(groupSize, cols);
        this.groups = (cols + this.groupSize - 1) / this.groupSize;
        this.symmetric = symmetric;
        this.tileScales = new float[tiles.tiles * groups * width];
        this.tileZeros = symmetric ? null : new float[tiles.tiles * groups * width];
    }

    /**
     * Returns whether this layout takes a group size: one scale per row, or groups that are a
     * multiple of 8 input channels (one packed word).
     *
     * @param groupSize input channels per scale, {@code <= 0} or {@code >= cols} for whole rows
     * @param cols input channels
     * @return {@code true} when {@link #fromCodes} accepts it
     */
    public static boolean supportsGroupSize(int groupSize, int cols) {
        return groupSize <= 0 || groupSize >= cols || groupSize % NibbleTiles.CHUNK == 0;
    }

    private static int normalizeGroup(int groupSize, int cols) {
        if (groupSize <= 0 || groupSize >= cols) {
            return cols;
        }
        if (!supportsGroupSize(groupSize, cols)) {
            throw new IllegalArgumentException("group size must be a multiple of 8: " + groupSize);
        }
        return groupSize;
    }

    /**
     * Quantizes a float matrix by round-to-nearest with min/max scales.
     *
     * @param w the weights, row-major {@code [rows, cols]}
     * @param rows output channels
     * @param cols input channels
     * @param groupSize input channels per scale (a multiple of 8), or {@code <= 0} / {@code >= cols}
     *     for one scale per output channel
     * @param symmetric signed codes without zero point when {@code true}
     * @return the packed matrix
     */
    public static PackedInt4Matrix quantize(
            float[] w, int rows, int cols, int groupSize, boolean symmetric) {
        return quantize(w, rows, cols, groupSize, symmetric, NibbleTiles.DEFAULT_WIDTH);
    }

    /**
     * Like {@link #quantize(float[], int, int, int, boolean)} with an explicit tile width (tests
     * use it; kernels take their vector path only for the width they were built for).
     *
     * @param w the weights {@code [rows, cols]}
     * @param rows output channels
     * @param cols input channels
     * @param groupSize input channels per scale
     * @param symmetric signed codes without zero point when {@code true}
     * @param tileWidth rows per tile, a multiple of 4
     * @return the packed matrix
     */
    public static PackedInt4Matrix quantize(
            float[] w, int rows, int cols, int groupSize, boolean symmetric, int tileWidth) {
        if ((long) rows * cols > w.length) {
            throw new IllegalArgumentException("weight array too small for " + rows + "x" + cols);
        }
        PackedInt4Matrix m = new PackedInt4Matrix(rows, cols, groupSize, symmetric, tileWidth);
        for (int o = 0; o < rows; o++) {
            for (int g = 0; g < m.groups; g++) {
                int from = o * cols + g * m.groupSize;
                int to = o * cols + Math.min(cols, (g + 1) * m.groupSize);
                float lo = 0f;
                float hi = 0f;
                for (int i = from; i < to; i++) {
                    lo = Math.min(lo, w[i]);
                    hi = Math.max(hi, w[i]);
                }
                float s;
                int z;
                if (symmetric) {
                    s = Math.max(Math.max(-lo, hi), MIN_RANGE) / 7f;
                    z = 0;
                } else {
                    s = Math.max(hi - lo, MIN_RANGE) / 15f;
                    z = clamp((int) Math.rint(-lo / s), 0, 15);
                }
                m.setGroup(o, g, s, z);
                for (int i = from; i < to; i++) {
                    int q = (int) Math.rint(w[i] / s) + z;
                    m.setCode(o, i - o * cols, symmetric ? clamp(q, -8, 7) : clamp(q, 0, 15));
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
     * @param scales {@code [rows, groups]} where {@code groups = ceil(cols / groupSize)}
     * @param zeroPoints {@code [rows, groups]} in {@code 0..15}, or {@code null} for symmetric
     * @param rows output channels
     * @param cols input channels
     * @param groupSize input channels per scale, or {@code <= 0} for per output channel
     * @return the packed matrix
     */
    public static PackedInt4Matrix fromCodes(
            byte[] codes, float[] scales, byte[] zeroPoints, int rows, int cols, int groupSize) {
        return fromCodes(codes, scales, zeroPoints, rows, cols, groupSize, NibbleTiles.DEFAULT_WIDTH);
    }

    /**
     * Like {@link #fromCodes(byte[], float[], byte[], int, int, int)} with an explicit tile width.
     *
     * @param codes row-major {@code [rows, cols]}
     * @param scales {@code [rows, groups]}
     * @param zeroPoints {@code [rows, groups]} or {@code null}
     * @param rows output channels
     * @param cols input channels
     * @param groupSize input channels per scale
     * @param tileWidth rows per tile, a multiple of 4
     * @return the packed matrix
     */
    public static PackedInt4Matrix fromCodes(
            byte[] codes,
            float[] scales,
            byte[] zeroPoints,
            int rows,
            int cols,
            int groupSize,
            int tileWidth) {
        float[] zeros = null;
        if (zeroPoints != null) {
            zeros = new float[zeroPoints.length];
            for (int i = 0; i < zeros.length; i++) {
                checkRange(zeroPoints[i], 0, 15, "zero point");
                zeros[i] = zeroPoints[i];
            }
        }
        return pack(codes, scales, zeros, rows, cols, groupSize, tileWidth);
    }

    /**
     * Packs asymmetric codes whose zero points need not be integers, as grids with a float
     * minimum per group have them ({@code value = min + q·s}, so {@code z = −min/s}). Products
     * against float inputs take them; the integer kernels need integer zero points ({@link
     * #hasIntegerZeroPoints}).
     *
     * @param codes row-major {@code [rows, cols]}, {@code 0..15}
     * @param scales {@code [rows, groups]}
     * @param zeroPoints {@code [rows, groups]}, finite
     * @param rows output channels
     * @param cols input channels
     * @param groupSize input channels per scale, or {@code <= 0} for per output channel
     * @return the packed matrix
     */
    public static PackedInt4Matrix fromFractionalZeros(
            byte[] codes, float[] scales, float[] zeroPoints, int rows, int cols, int groupSize) {
        for (int i = 0; i < zeroPoints.length; i++) {
            if (!Float.isFinite(zeroPoints[i])) {
                throw new IllegalArgumentException("zero point " + zeroPoints[i] + " at " + i + " is not finite");
            }
        }
        return pack(codes, scales, zeroPoints, rows, cols, groupSize, NibbleTiles.DEFAULT_WIDTH);
    }

    private static PackedInt4Matrix pack(
            byte[] codes, float[] scales, float[] zeroPoints, int rows, int cols, int groupSize, int tileWidth) {
        boolean symmetric = zeroPoints == null;
        PackedInt4Matrix m = new PackedInt4Matrix(rows, cols, groupSize, symmetric, tileWidth);
        if ((long) rows * cols > codes.length
                || (long) rows * m.groups > scales.length
                || (!symmetric && (long) rows * m.groups > zeroPoints.length)) {
            throw new IllegalArgumentException("codes/scales/zero points too small for the shape");
        }
        int lo = symmetric ? -8 : 0;
        NibbleTiles t = m.tiles;
        int chunk = NibbleTiles.CHUNK;
        int full = cols / chunk * chunk;
        for (int o = 0; o < rows; o++) {
            for (int g = 0; g < m.groups; g++) {
                m.setGroup(o, g, scales[o * m.groups + g], symmetric ? 0f : zeroPoints[o * m.groups + g]);
            }
            // whole words at a time: what setCode stores, without a read-modify-write per nibble
            for (int k0 = 0; k0 < full; k0 += chunk) {
                int word = 0;
                for (int j = 0; j < chunk; j++) {
                    int q = codes[o * cols + k0 + j];
                    checkRange(q, lo, lo + 15, "code");
                    word |= ((q - NibbleTiles.int4Bias(j, symmetric)) & 0xF) << (4 * j);
                }
                t.setWord(o, k0 / chunk, word);
            }
            for (int k = full; k < cols; k++) {
                int q = codes[o * cols + k];
                checkRange(q, lo, lo + 15, "code");
                m.setCode(o, k, q);
            }
        }
        return m;
    }

    private static void checkRange(int v, int lo, int hi, String what) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(what + " " + v + " outside " + lo + ".." + hi);
        }
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private void setGroup(int row, int group, float scale, float zero) {
        int i = groupIndex(row, group);
        tileScales[i] = scale;
        if (tileZeros != null) {
            tileZeros[i] = zero;
            integerZeroPoints &= zero == Math.rint(zero);
        }
    }

    private void setCode(int row, int col, int code) {
        tiles.setInt4(row, col, code, symmetric);
    }

    /** The index of one row's grid of {@code group} in the tiled scale (and code-sum) arrays. */
    int groupIndex(int row, int group) {
        return tileGroupIndex(row / tiles.width, group) + row % tiles.width;
    }

    /**
     * Returns the index of lane 0 of {@code group} in {@code tile} in the tiled scale arrays.
     *
     * @param tile the tile
     * @param group the group
     * @return the index into {@link #tileScales()} and {@link #tileZeros()}
     */
    int tileGroupIndex(int tile, int group) {
        return (tile * groups + group) * tiles.width;
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
     * Returns the input channels per scale ({@code cols} for per-output-channel scales).
     *
     * @return the group size
     */
    public int groupSize() {
        return groupSize;
    }

    /**
     * Returns the number of scale groups per row.
     *
     * @return {@code ceil(cols / groupSize)}
     */
    public int groups() {
        return groups;
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
     * Returns one code: {@code -8..7} (symmetric) or {@code 0..15} (asymmetric).
     *
     * @param row the output channel
     * @param col the input channel
     * @return the code
     */
    public int code(int row, int col) {
        return tiles.int4(row, col, symmetric);
    }

    /**
     * Returns the scale of a group.
     *
     * @param row the output channel
     * @param group the group along the input channels
     * @return the scale
     */
    public float scale(int row, int group) {
        return tileScales[groupIndex(row, group)];
    }

    /**
     * Returns the zero point of a group (0 when symmetric).
     *
     * @param row the output channel
     * @param group the group along the input channels
     * @return the zero point, an integer unless built by {@link #fromFractionalZeros}
     */
    public float zeroPoint(int row, int group) {
        return tileZeros == null ? 0f : tileZeros[groupIndex(row, group)];
    }

    /**
     * Returns whether every zero point is an integer, as the integer kernels (8-bit and 4-bit
     * inputs) need.
     *
     * @return {@code false} only for grids with a float minimum
     */
    public boolean hasIntegerZeroPoints() {
        return integerZeroPoints;
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
     * Returns the scales in row-major {@code [rows, groups]} order.
     *
     * @return a new array
     */
    public float[] scales() {
        float[] s = new float[tiles.rows * groups];
        for (int o = 0; o < tiles.rows; o++) {
            for (int g = 0; g < groups; g++) {
                s[o * groups + g] = scale(o, g);
            }
        }
        return s;
    }

    /**
     * Returns the zero points in row-major {@code [rows, groups]} order, or {@code null} when
     * symmetric.
     *
     * @return a new array or {@code null}
     * @throws IllegalStateException when a zero point is not an integer
     */
    public byte[] zeroPoints() {
        if (symmetric) {
            return null;
        }
        if (!hasIntegerZeroPoints()) {
            throw new IllegalStateException("zero points of a grid with a float minimum are no bytes");
        }
        byte[] z = new byte[tiles.rows * groups];
        for (int o = 0; o < tiles.rows; o++) {
            for (int g = 0; g < groups; g++) {
                z[o * groups + g] = (byte) zeroPoint(o, g);
            }
        }
        return z;
    }

    /**
     * Decodes the whole matrix.
     *
     * @return row-major {@code [rows, cols]} floats {@code (q − z)·s}
     */
    public float[] dequantize() {
        float[] w = new float[tiles.rows * tiles.cols];
        for (int o = 0; o < tiles.rows; o++) {
            for (int k = 0; k < tiles.cols; k++) {
                int g = k / groupSize;
                w[o * tiles.cols + k] = (code(o, k) - zeroPoint(o, g)) * scale(o, g);
            }
        }
        return w;
    }

    /**
     * Returns the bytes a kernel streams per product: codes, scales and zero points (both stored
     * as 4-byte floats), excluding padding.
     *
     * @return the weight footprint in bytes
     */
    public long packedBytes() {
        long codes = ((long) tiles.rows * tiles.cols + 1) / 2;
        long perGroup = symmetric ? 4 : 8;
        return codes + perGroup * tiles.rows * groups;
    }

    NibbleTiles tiles() {
        return tiles;
    }

    float[] tileScales() {
        return tileScales;
    }

    float[] tileZeros() {
        return tileZeros;
    }

    /**
     * Returns the integer zero points in the tiled layout, for the integer kernels' int arithmetic;
     * made on first use.
     */
    int[] tileIntegerZeros() {
        int[] z = tileIntegerZeros;
        if (z == null) {
            if (!integerZeroPoints) {
                throw new IllegalStateException("fractional zero points are no integers");
            }
            z = new int[tileScales.length];
            if (tileZeros != null) {
                for (int i = 0; i < z.length; i++) {
                    z[i] = (int) tileZeros[i];
                }
            }
            tileIntegerZeros = z;
        }
        return z;
    }

    /**
     * Returns {@code s·z} per group in the tiled layout, what the integer kernels subtract for
     * fractional zero points; made on first use.
     */
    float[] tileScaledZeros() {
        float[] sz = tileScaledZeros;
        if (sz == null) {
            sz = new float[tileScales.length];
            for (int i = 0; i < sz.length; i++) {
                sz[i] = tileZeros == null ? 0f : tileScales[i] * tileZeros[i];
            }
            tileScaledZeros = sz;
        }
        return sz;
    }
}
