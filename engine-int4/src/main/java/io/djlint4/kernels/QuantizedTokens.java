package io.djlint4.kernels;

/**
 * INT8 or INT4 activations (or any width from 2 to 8 bits, e.g. W3A3's) quantized per token
 * (row) with an optional clip ratio (ALGORITHMS.md §2.1). Symmetric: {@code s[t] =
 * max(clip·max|x[t]|, 1e-5) / qmax}, {@code q = clamp(rint(x / s), −qmax − 1, qmax)} with {@code
 * qmax} = 127 for INT8 and 7 for INT4, standing for {@code q·s[t]}. Asymmetric: a scale and zero
 * point per token from the clipped range (§2.1 {@code fitAsym}, range floored at 1e-5), codes
 * stored centred (minus {@code 2^(b−1)}) so that both kinds span a signed byte, standing for {@code
 * (q − z[t])·s[t]}; the integer GEMM subtracts {@code z[t]} times the weight's code sums ({@link
 * WeightCodeSums}). A reusable buffer: allocate once for the largest batch, then {@link #quantize}
 * fills it in place each call.
 *
 * <p>Codes are kept one per byte for every width (activations are transient and the integer GEMM
 * consumes whole bytes), plus the same codes as floats so the Vector API GEMM can multiply them on
 * the FMA units; integer-valued products and sums below 2^24 are exact in float, so results equal
 * int32 arithmetic.
 */
public final class QuantizedTokens {

    private static final RowQuantizer SCALAR = new ScalarRowQuantizer();
    private static final RowQuantizer VECTOR_OR_NULL =
            VectorSupport.isAvailable() ? VectorKernels.rowQuantizer() : null;

    private final int capacity;
    private final int cols;
    private final int bits;
    private final int qmax;
    private final boolean symmetric;
    private final byte[] codes;
    private final float[] values;
    private final float[] scales;
    private final int[] zeros;
    private int rows;

    /**
     * Allocates a buffer for symmetric codes.
     *
     * @param capacityRows the largest number of tokens per call
     * @param cols the row length
     * @param bits the code width, 2 to 8 (8 and 4 are the usual ones)
     */
    public QuantizedTokens(int capacityRows, int cols, int bits) {
        this(capacityRows, cols, bits, true);
    }

    /**
     * Allocates a buffer.
     *
     * @param capacityRows the largest number of tokens per call
     * @param cols the row length
     * @param bits the code width, 2 to 8 (8 and 4 are the usual ones)
     * @param symmetric symmetric codes when {@code true}, else a zero point per token
     */
    public QuantizedTokens(int capacityRows, int cols, int bits, boolean symmetric) {
        if (bits < 2 || bits > 8) {
            throw new IllegalArgumentException("activation bits must be in 2..8, got " + bits);
        }
        if (capacityRows < 1 || cols < 1) {
            throw new IllegalArgumentException("empty activation buffer");
        }
        this.capacity = capacityRows;
        this.cols = cols;
        this.bits = bits;
        this.qmax = (1 << (bits - 1)) - 1;
        this.symmetric = symmetric;
        this.codes = new byte[capacityRows * cols];
        this.values = new float[capacityRows * cols];
        this.scales = new float[capacityRows];
        this.zeros = new int[capacityRows];
    }

    /**
     * Quantizes {@code rows} rows of {@code x} (row-major {@code [rows, cols]}) in place of the
     * previous contents.
     *
     * @param x the activations
     * @param rows the number of tokens, at most the capacity
     * @param clip the clip ratio, in {@code (0, 1]}
     */
    public void quantize(float[] x, int rows, float clip) {
        quantize(x, rows, clip, VECTOR_OR_NULL != null ? VECTOR_OR_NULL : SCALAR);
    }

    /**
     * The scalar reference of {@link #quantize}; same contract.
     *
     * @param x the activations
     * @param rows the number of tokens
     * @param clip the clip ratio
     */
    public void quantizeScalar(float[] x, int rows, float clip) {
        quantize(x, rows, clip, SCALAR);
    }

    private void quantize(float[] x, int rows, float clip, RowQuantizer q) {
        if (rows < 0 || rows > capacity || (long) rows * cols > x.length) {
            throw new IllegalArgumentException(
                    "rows=" + rows + " exceeds capacity " + capacity + " or the input");
        }
        if (!(clip > 0f && clip <= 1f)) {
            throw new IllegalArgumentException("clip ratio must be in (0, 1]: " + clip);
        }
        this.rows = rows;
        for (int t = 0; t < rows; t++) {
            if (symmetric) {
                scales[t] = q.quantizeRow(x, t * cols, cols, clip, qmax, codes, values, t * cols);
            } else {
                AsymmetricRowGrid grid =
                        q.quantizeRowAsymmetric(x, t * cols, cols, clip, bits, codes, values, t * cols);
                scales[t] = grid.scale();
                zeros[t] = grid.centredZero();
            }
        }
    }

    /**
     * Returns the number of tokens last quantized.
     *
     * @return rows
     */
    public int rows() {
        return rows;
    }

    /**
     * Returns the row length.
     *
     * @return cols
     */
    public int cols() {
        return cols;
    }

    /**
     * Returns the code width.
     *
     * @return the code width
     */
    public int bits() {
        return bits;
    }

    /**
     * Returns whether codes are symmetric (no zero point).
     *
     * @return {@code true} for symmetric codes
     */
    public boolean symmetric() {
        return symmetric;
    }

    /**
     * Returns one code; asymmetric codes centred, {@code q − 2^(b−1)}.
     *
     * @param row the token
     * @param col the channel
     * @return the code, {@code −qmax−1 .. qmax}
     */
    public int code(int row, int col) {
        return codes[row * cols + col];
    }

    /**
     * Returns a token's scale.
     *
     * @param row the token
     * @return {@code s[row]}
     */
    public float scale(int row) {
        return scales[row];
    }

    /**
     * Returns a token's zero point, centred like its codes.
     *
     * @param row the token
     * @return {@code z[row] − 2^(b−1)}, or 0 for symmetric codes
     */
    public int zeroPoint(int row) {
        return symmetric ? 0 : zeros[row];
    }

    /**
     * Decodes the quantized rows.
     *
     * @return row-major {@code [rows, cols]} floats {@code (q − z)·s}
     */
    public float[] dequantize() {
        float[] x = new float[rows * cols];
        for (int t = 0; t < rows; t++) {
            int z = zeroPoint(t);
            for (int k = 0; k < cols; k++) {
                x[t * cols + k] = (codes[t * cols + k] - z) * scales[t];
            }
        }
        return x;
    }

    byte[] codeArray() {
        return codes;
    }

    float[] valueArray() {
        return values;
    }

    float[] scaleArray() {
        return scales;
    }

    /** The centred zero points, or {@code null} for symmetric codes. */
    int[] zeroArray() {
        return symmetric ? null : zeros;
    }
}
