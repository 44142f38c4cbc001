package io.djlint4.kernels;

/**
 * FP4 activations (LLM-FP4, ALGORITHMS.md §5.3–5.4): one {@link Fp4Format}, one real unit for the
 * tensor (the layer's real bias ρ) and an integer pre-shift {@code k_j} per input channel. Channel
 * {@code j} is quantized as {@code x̂_j = 2^(−k_j)·Q_ρ(2^(k_j)·x_j)}; the codes stored here are those
 * of {@code Q_ρ(2^(k_j)·x_j)} and the factor {@code 2^(−k_j)} lives in the weight ({@link
 * PackedFp4Matrix} with the same shifts). A reusable buffer, filled in place by {@link #quantize}.
 */
public final class Fp4Tokens {

    private final int capacity;
    private final int cols;
    private final Fp4Format format;
    private final byte[] codes;
    private final float[] values;
    private int rows;
    private float unit = 1f;

    /**
     * Allocates a buffer.
     *
     * @param capacityRows the largest number of tokens per call
     * @param cols the row length
     * @param format the FP4 format
     */
    public Fp4Tokens(int capacityRows, int cols, Fp4Format format) {
        if (capacityRows < 1 || cols < 1) {
            throw new IllegalArgumentException("empty activation buffer");
        }
        this.capacity = capacityRows;
        this.cols = cols;
        this.format = format;
        this.codes = new byte[capacityRows * cols];
        this.values = new float[capacityRows * cols];
    }

    /**
     * Quantizes {@code rows} rows of {@code x} (row-major {@code [rows, cols]}).
     *
     * @param x the activations
     * @param rows the number of tokens, at most the capacity
     * @param unit the tensor's unit {@code 2^(1 − M − ρ)}, positive
     * @param channelShifts {@code k_j ≥ 0} per channel, or {@code null} for none
     */
    public void quantize(float[] x, int rows, float unit, int[] channelShifts) {
        if (rows < 0 || rows > capacity || (long) rows * cols > x.length) {
            throw new IllegalArgumentException(
                    "rows=" + rows + " exceeds capacity " + capacity + " or the input");
        }
        if (!(unit > 0f)) {
            throw new IllegalArgumentException("unit must be positive: " + unit);
        }
        this.rows = rows;
        this.unit = unit;
        for (int t = 0; t < rows; t++) {
            for (int j = 0; j < cols; j++) {
                int i = t * cols + j;
                float shifted = channelShifts == null ? x[i] : Math.scalb(x[i], channelShifts[j]);
                int c = format.encode(shifted / unit);
                codes[i] = (byte) c;
                values[i] = format.integerValue(c);
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
     * Returns the format.
     *
     * @return the format
     */
    public Fp4Format format() {
        return format;
    }

    /**
     * Returns the tensor's unit.
     *
     * @return the real scale of one step of the integer grid
     */
    public float unit() {
        return unit;
    }

    /**
     * Returns one code.
     *
     * @param row the token
     * @param col the channel
     * @return the nibble, 0..15
     */
    public int code(int row, int col) {
        return codes[row * cols + col];
    }

    /**
     * Decodes the quantized rows, channel shifts <em>not</em> undone (they are in the weight).
     *
     * @return row-major {@code [rows, cols]} floats {@code k·unit}
     */
    public float[] dequantize() {
        float[] x = new float[rows * cols];
        for (int i = 0; i < rows * cols; i++) {
            x[i] = values[i] * unit;
        }
        return x;
    }

    float[] valueArray() {
        return values;
    }
}
