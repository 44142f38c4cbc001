package io.djlint4.kernels.gguf;

/**
 * Rows of activations rounded to 8 bits per block of 32 values, as ggml's {@code q8_0}/{@code
 * q8_1} (and, at a finer grain, {@code q8_K}) before an integer product with quantized weights:
 * {@code a = d · q} with {@code d = max|x| / 127} and {@code q = round(x / d)}. Each block also
 * keeps {@code Σ q}, which the types with a per-block minimum or offset need. Scales stay in float
 * (ggml rounds them to fp16), so the activations are at least as close as ggml's.
 */
public final class Q8Activations {

    /** Values per activation block. */
    public static final int BLOCK = 32;

    private final int rows;
    private final int cols;
    private final byte[] codes;
    private final float[] scales;
    private final int[] sums;

    private Q8Activations(int rows, int cols) {
        this.rows = rows;
        this.cols = cols;
        this.codes = new byte[rows * cols];
        this.scales = new float[rows * cols / BLOCK];
        this.sums = new int[rows * cols / BLOCK];
    }

    /**
     * Quantizes {@code rows} rows of {@code cols} values.
     *
     * @param x the activations, row-major {@code [rows, cols]}
     * @param rows the number of rows
     * @param cols the row length, a multiple of 32
     * @return the quantized rows
     */
    public static Q8Activations quantize(float[] x, int rows, int cols) {
        if (cols % BLOCK != 0) {
            throw new IllegalArgumentException("8-bit activation rows hold blocks of 32 values, got " + cols);
        }
        if (x.length < rows * cols) {
            throw new IllegalArgumentException(x.length + " activations given for " + rows + " x " + cols);
        }
        Q8Activations a = new Q8Activations(rows, cols);
        int blocks = rows * cols / BLOCK;
        for (int b = 0; b < blocks; b++) {
            int off = b * BLOCK;
            float amax = 0f;
            for (int i = 0; i < BLOCK; i++) {
                amax = Math.max(amax, Math.abs(x[off + i]));
            }
            float d = amax / 127f;
            float inv = d == 0f ? 0f : 1f / d;
            int sum = 0;
            for (int i = 0; i < BLOCK; i++) {
                int q = Math.round(x[off + i] * inv);
                a.codes[off + i] = (byte) q;
                sum += q;
            }
            a.scales[b] = d;
            a.sums[b] = sum;
        }
        return a;
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
     * Returns the row length.
     *
     * @return the values per row
     */
    public int cols() {
        return cols;
    }

    /**
     * Returns the 8-bit codes, row-major {@code [rows, cols]} (the stored array, not a copy).
     *
     * @return the codes
     */
    public byte[] codes() {
        return codes;
    }

    /**
     * Returns the scale {@code d} of each block of 32, in value order: block {@code k} covers
     * values {@code [32k, 32k + 32)} of the flattened rows (the stored array).
     *
     * @return the scales
     */
    public float[] scales() {
        return scales;
    }

    /**
     * Returns {@code Σ q} of each block of 32, indexed as {@link #scales()} (the stored array).
     *
     * @return the code sums
     */
    public int[] sums() {
        return sums;
    }
}
