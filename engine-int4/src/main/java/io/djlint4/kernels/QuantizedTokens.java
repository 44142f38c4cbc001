package io.djlint4.kernels;

/**
 * INT8 or INT4 activations (or any width from 2 to 8 bits, e.g. W3A3's) quantized per token
 * (row), symmetric with an optional clip ratio (ALGORITHMS.md §2.1): {@code s[t] =
 * max(clip·max|x[t]|, 1e-5) / qmax}, {@code q = clamp(rint(x / s), −qmax − 1, qmax)} with {@code
 * qmax} = 127 for INT8 and 7 for INT4. A reusable buffer: allocate once for the largest batch, then
 * {@link #quantize} fills it in place each call.
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
    private final byte[] codes;
    private final float[] values;
    private final float[] scales;
    private int rows;

    /**
     * Allocates a buffer.
     *
     * @param capacityRows the largest number of tokens per call
     * @param cols the row length
     * @param bits the code width, 2 to 8 (8 and 4 are the usual ones)
     */
    public QuantizedTokens(int capacityRows, int cols, int bits) {
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
        this.codes = new byte[capacityRows * cols];
        this.values = new float[capacityRows * cols];
        this.scales = new float[capacityRows];
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
            scales[t] = q.quantizeRow(x, t * cols, cols, clip, qmax, codes, values, t * cols);
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
     * Returns one code.
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
     * Decodes the quantized rows.
     *
     * @return row-major {@code [rows, cols]} floats {@code q·s}
     */
    public float[] dequantize() {
        float[] x = new float[rows * cols];
        for (int t = 0; t < rows; t++) {
            for (int k = 0; k < cols; k++) {
                x[t * cols + k] = codes[t * cols + k] * scales[t];
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
}
