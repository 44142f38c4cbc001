package io.djlint4.kernels;

import java.util.Arrays;

/**
 * The per-call activation side of Runtime Smooth (RRS, ALGORITHMS.md §4.2, "g128" variant):
 * channel maxima over the tokens of this call (of one sequence: a batch calls once per sequence)
 * {@code r[c] = max(max_t |X[t, c]|, 1e-5)}, channels
 * sorted by decreasing maximum, consecutive groups of {@value #GROUP} (or another group size)
 * sorted channels scaled by their largest member {@code R[g]}, then per-token INT4 (or other
 * width) quantization of the smoothed {@code X̃ = X / r'}, symmetric or asymmetric. Codes are
 * stored in sorted channel order, ready for {@link RuntimeSmoothGemm}.
 * A reusable buffer: allocate once, {@link #compute} per call.
 */
public final class RuntimeSmoothing {

    /** Channels per smoothing group in the paper's "g128" variant. */
    public static final int GROUP = 128;

    private static final float MIN_MAX = 1e-5f;

    private final int capacity;
    private final int cols;
    private final int group;
    private final float[] channelMax;
    private final float[] channelScale;
    private final float[] groupScale;
    private final int[] order;
    private final long[] keys;
    private final float[] smoothed;
    private final QuantizedTokens tokens;
    private int rows;

    /**
     * Allocates a buffer for INT4 codes and groups of {@value #GROUP} channels.
     *
     * @param capacityRows the largest number of tokens per call
     * @param cols the number of channels
     */
    public RuntimeSmoothing(int capacityRows, int cols) {
        this(capacityRows, cols, GROUP, 4);
    }

    /**
     * Allocates a buffer for symmetric per-token codes.
     *
     * @param capacityRows the largest number of tokens per call
     * @param cols the number of channels
     * @param group sorted channels per smoothing group (1 gives plain per-channel smoothing)
     * @param bits the width of the per-token codes, 2 to 8
     */
    public RuntimeSmoothing(int capacityRows, int cols, int group, int bits) {
        this(capacityRows, cols, group, bits, true);
    }

    /**
     * Allocates a buffer.
     *
     * @param capacityRows the largest number of tokens per call
     * @param cols the number of channels
     * @param group sorted channels per smoothing group (1 gives plain per-channel smoothing)
     * @param bits the width of the per-token codes, 2 to 8
     * @param symmetric symmetric per-token codes when {@code true}, else a zero point per token
     */
    public RuntimeSmoothing(int capacityRows, int cols, int group, int bits, boolean symmetric) {
        if (group < 1) {
            throw new IllegalArgumentException("smoothing group must be positive, got " + group);
        }
        this.capacity = capacityRows;
        this.cols = cols;
        this.group = group;
        this.channelMax = new float[cols];
        this.channelScale = new float[cols];
        this.groupScale = new float[(cols + group - 1) / group];
        this.order = new int[cols];
        this.keys = new long[cols];
        this.smoothed = new float[capacityRows * cols];
        this.tokens = new QuantizedTokens(capacityRows, cols, bits, symmetric);
    }

    /**
     * Returns whether a group's integer partial sum stays exact: the vector path carries it in
     * float, so it must stay below 2^24 in magnitude for any INT4 weight codes.
     *
     * @param cols the number of channels
     * @param group sorted channels per group
     * @param bits the width of the per-token codes, 2 to 8
     * @return {@code true} when {@link RuntimeSmoothGemm} is exact for these sizes (it refuses
     *     others)
     */
    public static boolean exactGroupSums(int cols, int group, int bits) {
        return (long) Math.min(group, cols) * (1L << (bits - 1)) * 15 < 1L << 24;
    }

    /**
     * Smooths and quantizes {@code rows} tokens of {@code x} (row-major {@code [rows, cols]}).
     *
     * @param x the activations
     * @param rows the number of tokens, at most the capacity
     * @param clip the per-token clip ratio, in {@code (0, 1]}
     */
    public void compute(float[] x, int rows, float clip) {
        compute(x, 0, rows, clip);
    }

    /**
     * Smooths and quantizes the {@code rows} tokens of {@code x} from row {@code firstRow} on, with
     * channel maxima taken over those rows only (one sequence of a batch).
     *
     * @param x the activations, row-major {@code [.., cols]}
     * @param firstRow the first token
     * @param rows the number of tokens, at most the capacity
     * @param clip the per-token clip ratio, in {@code (0, 1]}
     */
    public void compute(float[] x, int firstRow, int rows, float clip) {
        if (rows < 1 || rows > capacity || firstRow < 0 || (long) (firstRow + rows) * cols > x.length) {
            throw new IllegalArgumentException(
                    "rows " + firstRow + "+" + rows + " outside 1.." + capacity + " or the input");
        }
        this.rows = rows;
        int base = firstRow * cols;
        Arrays.fill(channelMax, MIN_MAX);
        for (int t = 0; t < rows; t++) {
            for (int c = 0; c < cols; c++) {
                channelMax[c] = Math.max(channelMax[c], Math.abs(x[base + t * cols + c]));
            }
        }
        SortedChannelGroups.assign(channelMax, group, keys, order, channelScale);
        for (int grp = 0; grp < groupScale.length; grp++) {
            groupScale[grp] = channelMax[order[grp * group]];
        }
        for (int t = 0; t < rows; t++) {
            for (int j = 0; j < cols; j++) {
                int c = order[j];
                smoothed[t * cols + j] = x[base + t * cols + c] / channelScale[c];
            }
        }
        tokens.quantize(smoothed, rows, clip);
    }

    /**
     * Returns the number of tokens of the last call.
     *
     * @return rows
     */
    public int rows() {
        return rows;
    }

    /**
     * Returns the number of channels.
     *
     * @return cols
     */
    public int cols() {
        return cols;
    }

    /**
     * Returns the channel at sorted position {@code j} (π of §4.2).
     *
     * @param j the position
     * @return the channel
     */
    public int channelAt(int j) {
        return order[j];
    }

    /**
     * Returns a channel's runtime maximum {@code r[c]}.
     *
     * @param c the channel
     * @return the maximum, at least 1e-5
     */
    public float channelMax(int c) {
        return channelMax[c];
    }

    /**
     * Returns the smoothing scale applied to a channel, {@code r'[c]} (its group's maximum).
     *
     * @param c the channel
     * @return the scale
     */
    public float channelScale(int c) {
        return channelScale[c];
    }

    /**
     * Returns a sorted group's scale {@code R[g]}.
     *
     * @param g the group
     * @return the scale
     */
    public float groupScale(int g) {
        return groupScale[g];
    }

    /**
     * Returns the number of smoothing groups.
     *
     * @return {@code ceil(cols / groupSize())}
     */
    public int groups() {
        return groupScale.length;
    }

    /**
     * Returns the number of sorted channels per smoothing group.
     *
     * @return the group size
     */
    public int groupSize() {
        return group;
    }

    /**
     * Returns the code of token {@code t} at sorted position {@code j}.
     *
     * @param t the token
     * @param j the sorted position
     * @return the code, {@code -8..7} for INT4 (asymmetric codes centred, see {@link
     *     QuantizedTokens#code})
     */
    public int code(int t, int j) {
        return tokens.code(t, j);
    }

    /**
     * Returns a token's zero point, centred like its codes.
     *
     * @param t the token
     * @return the zero point, 0 for symmetric codes
     */
    public int zeroPoint(int t) {
        return tokens.zeroPoint(t);
    }

    /**
     * Returns a token's quantization scale {@code s[t]}.
     *
     * @param t the token
     * @return the scale
     */
    public float scale(int t) {
        return tokens.scale(t);
    }

    /**
     * Returns what the GEMM effectively consumes, {@code X̂[t, c] = (q − z[t])·s[t]·r'[c]}, in natural channel
     * order (the reference fake-quant path of §4.2).
     *
     * @return row-major {@code [rows, cols]}
     */
    public float[] dequantize() {
        float[] x = new float[rows * cols];
        dequantize(x, 0);
        return x;
    }

    /**
     * Writes what the GEMM consumes for the tokens of the last call into rows {@code firstRow..} of
     * {@code dst}, in natural channel order: a batch assembles its sequences' rows this way.
     *
     * @param dst row-major {@code [.., cols]}
     * @param firstRow the row of the first token
     */
    public void dequantize(float[] dst, int firstRow) {
        int base = firstRow * cols;
        for (int t = 0; t < rows; t++) {
            for (int j = 0; j < cols; j++) {
                int c = order[j];
                int q = tokens.code(t, j) - tokens.zeroPoint(t);
                dst[base + t * cols + c] = q * tokens.scale(t) * channelScale[c];
            }
        }
    }

    QuantizedTokens tokens() {
        return tokens;
    }

    int[] orderArray() {
        return order;
    }

    float[] groupScaleArray() {
        return groupScale;
    }
}
