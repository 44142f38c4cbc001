package io.djlint4.quant.weight;

/**
 * A weight matrix {@code [rows, cols]} on grids with a float minimum, one per row and group of
 * {@code groupSize} consecutive columns ({@code value = min + q·step}, the grid of ggml's Q4_1),
 * whose steps and minimums are quantized once more per row, as QLoRA's double quantization and
 * ggml's K-quants do: {@code step = stepMax·s/63} with a 6-bit code {@code s} in {@code 1..63},
 * {@code min = minMax·m/127} with a signed 8-bit code {@code m}, and {@code stepMax}, {@code
 * minMax} one bfloat16 each per row. A weight costs its code plus 14 bits per group and 32 per row:
 * 4.49 bits for 4-bit codes in groups of 32 along 576 columns, Q4_0's size with Q4_1's grid.
 *
 * <p>The kernels take such a grid as scale {@code step} and zero point {@code z = −min/step}, a
 * float; {@link #dequantize} decodes {@code (q − z)·step} exactly as they do.
 *
 * @param rows the number of output channels
 * @param cols the number of input channels
 * @param groupSize columns per group ({@code cols} for one group per row)
 * @param bits bits per code, at most 8
 * @param codes the codes, {@code 0..2^bits − 1}, row-major {@code [rows, cols]}
 * @param stepCodes the step codes, {@code 1..63}, {@code [rows, groups]}
 * @param minCodes the minimum codes, {@code −127..127}, {@code [rows, groups]}
 * @param stepMax per row, the step of code 63 (positive, a bfloat16 value)
 * @param minMax per row, the magnitude of minimum code 127 (a bfloat16 value, at least 0)
 */
public record DoubleQuantizedWeights(
        int rows,
        int cols,
        int groupSize,
        int bits,
        byte[] codes,
        byte[] stepCodes,
        byte[] minCodes,
        float[] stepMax,
        float[] minMax)
        implements QuantizedMatrix {

    /** Bits of a step code. */
    public static final int STEP_BITS = 6;

    /** Bits of a minimum code. */
    public static final int MIN_BITS = 8;

    /** Bits of each of a row's two bfloat16 maxima. */
    public static final int ROW_BITS = 16;

    /** The largest step code. */
    static final int STEP_LEVELS = (1 << STEP_BITS) - 1;

    /** The largest minimum code in magnitude. */
    static final int MIN_LEVELS = (1 << (MIN_BITS - 1)) - 1;

    /** Checks shapes and ranges, so a damaged file cannot make a grid the kernels would misread. */
    public DoubleQuantizedWeights {
        if (rows <= 0 || cols <= 0 || groupSize <= 0 || groupSize > cols || bits < 2 || bits > 8) {
            throw new IllegalArgumentException("double-quantized grid of [" + rows + ", " + cols + "], groups of "
                    + groupSize + ", " + bits + " bits is not a valid shape");
        }
        int grids = rows * ((cols + groupSize - 1) / groupSize);
        if (codes.length != rows * cols || stepCodes.length != grids || minCodes.length != grids
                || stepMax.length != rows || minMax.length != rows) {
            throw new IllegalArgumentException("double-quantized arrays do not match [" + rows + ", " + cols
                    + "] with groups of " + groupSize);
        }
        int maxCode = (1 << bits) - 1;
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] < 0 || codes[i] > maxCode) {
                throw new IllegalArgumentException("code " + codes[i] + " at " + i + " is outside 0.." + maxCode);
            }
        }
        for (int i = 0; i < grids; i++) {
            if (stepCodes[i] < 1 || stepCodes[i] > STEP_LEVELS || minCodes[i] < -MIN_LEVELS) {
                throw new IllegalArgumentException("group " + i + ": step code " + stepCodes[i] + " or minimum code "
                        + minCodes[i] + " is outside 1.." + STEP_LEVELS + " / ±" + MIN_LEVELS);
            }
        }
        for (int r = 0; r < rows; r++) {
            if (!(stepMax[r] > 0) || !(minMax[r] >= 0) || Float.isInfinite(stepMax[r])
                    || Float.isInfinite(minMax[r])) {
                throw new IllegalArgumentException("row " + r + ": step maximum " + stepMax[r] + " and minimum maximum "
                        + minMax[r] + " must be finite, the first positive");
            }
        }
    }

    /**
     * Returns the number of groups per row.
     *
     * @return {@code ceil(cols / groupSize)}
     */
    public int groups() {
        return (cols + groupSize - 1) / groupSize;
    }

    /**
     * Returns the step of one group.
     *
     * @param row the row
     * @param group the group along the columns
     * @return {@code stepMax[row]·s/63}
     */
    public float step(int row, int group) {
        return step(stepMax[row], stepCodes[row * groups() + group]);
    }

    /**
     * Returns the minimum of one group.
     *
     * @param row the row
     * @param group the group along the columns
     * @return {@code minMax[row]·m/127}
     */
    public float minimum(int row, int group) {
        return minimum(minMax[row], minCodes[row * groups() + group]);
    }

    /** The step of code {@code s} in a row whose code 63 stands for {@code stepMax}. */
    static float step(float stepMax, int s) {
        return stepMax * s / STEP_LEVELS;
    }

    /** The minimum of code {@code m} in a row whose code 127 stands for {@code minMax}. */
    static float minimum(float minMax, int m) {
        return minMax * m / MIN_LEVELS;
    }

    /** The kernels' zero point of a group. */
    static float zeroPoint(float step, float minimum) {
        return -minimum / step;
    }

    /**
     * Returns the steps as the kernels' scales.
     *
     * @return a new {@code [rows, groups]} array
     */
    public float[] scales() {
        int groups = groups();
        float[] s = new float[rows * groups];
        for (int r = 0; r < rows; r++) {
            for (int g = 0; g < groups; g++) {
                s[r * groups + g] = step(r, g);
            }
        }
        return s;
    }

    /**
     * Returns the minimums as the kernels' zero points, {@code −min/step}.
     *
     * @return a new {@code [rows, groups]} array
     */
    public float[] zeroPoints() {
        int groups = groups();
        float[] z = new float[rows * groups];
        for (int r = 0; r < rows; r++) {
            for (int g = 0; g < groups; g++) {
                z[r * groups + g] = zeroPoint(step(r, g), minimum(r, g));
            }
        }
        return z;
    }

    @Override
    public GroupLayout layout() {
        return GroupLayout.PER_OUTPUT_CHANNEL;
    }

    @Override
    public float[] dequantize() {
        float[] scales = scales();
        float[] zeros = zeroPoints();
        int groups = groups();
        float[] w = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int g = r * groups + c / groupSize;
                w[r * cols + c] = (codes[r * cols + c] - zeros[g]) * scales[g];
            }
        }
        return w;
    }

    @Override
    public long storedBits() {
        return (long) rows * cols * bits + (long) rows * groups() * (STEP_BITS + MIN_BITS) + 2L * ROW_BITS * rows;
    }
}
