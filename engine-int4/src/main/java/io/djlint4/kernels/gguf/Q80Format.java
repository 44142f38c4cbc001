package io.djlint4.kernels.gguf;

import io.djlint4.checkpoint.Float16;

/**
 * GGML {@code Q8_0} ({@code ggml_type} 8): blocks of 32 values in 34 bytes, {@code struct
 * block_q8_0 { fp16 d; int8 qs[32]; }}, {@code x = qs[j]·d}. With 8-bit activations a block
 * contributes {@code d·d_a·Σ q·a}.
 */
public final class Q80Format extends AbstractBlockFormat {

    /** The single instance. */
    public static final Q80Format INSTANCE = new Q80Format();

    /** The {@code ggml_type} id. */
    public static final int GGML_TYPE = 8;

    /** Values per block. */
    public static final int BLOCK_SIZE = 32;

    /** Bytes per block. */
    public static final int TYPE_SIZE = 34;

    private Q80Format() {
        super(GGML_TYPE, "Q8_0", BLOCK_SIZE, TYPE_SIZE);
    }

    @Override
    public int[] halfFieldOffsets() {
        return new int[] {0};
    }

    /**
     * Rounds a float matrix to Q8_0 blocks as ggml's {@code quantize_row_q8_0_ref} does: per block
     * of 32, {@code d = max|x| / 127} stored in fp16 and codes {@code x / d} rounded half away from
     * zero.
     *
     * @param w the weights, row-major {@code [rows, cols]}
     * @param rows the number of rows
     * @param cols the row length, a multiple of 32
     * @return the matrix of blocks
     */
    public static GgufMatrix encode(float[] w, int rows, int cols) {
        byte[] data = new byte[rows * INSTANCE.rowBytes(cols)];
        int blocks = rows * (cols / BLOCK_SIZE);
        for (int b = 0; b < blocks; b++) {
            int o = b * BLOCK_SIZE;
            float amax = 0f;
            for (int j = 0; j < BLOCK_SIZE; j++) {
                amax = Math.max(amax, Math.abs(w[o + j]));
            }
            float d = amax / 127f;
            float id = d == 0f ? 0f : 1f / d;
            int p = b * TYPE_SIZE;
            short half = Float16.fromFloat(d);
            data[p] = (byte) half;
            data[p + 1] = (byte) (half >> 8);
            for (int j = 0; j < BLOCK_SIZE; j++) {
                // roundf: halves away from zero (Math.round takes -2.5 to -2)
                float v = w[o + j] * id;
                int q = (int) (Math.abs(v) + 0.5f);
                data[p + 2 + j] = (byte) (v < 0 ? -q : q);
            }
        }
        return new GgufMatrix(INSTANCE, rows, cols, data);
    }

    @Override
    public void dequantize(byte[] src, int srcOff, float[] dst, int dstOff, int blocks) {
        for (int b = 0; b < blocks; b++) {
            int p = srcOff + b * TYPE_SIZE;
            int o = dstOff + b * BLOCK_SIZE;
            float d = BlockBytes.half(src, p);
            for (int j = 0; j < BLOCK_SIZE; j++) {
                dst[o + j] = src[p + 2 + j] * d;
            }
        }
    }

    @Override
    public void expand(byte[] src, int srcOff, float[] dst, int dstOff, int blocks) {
        if (VectorPath.ENABLED) {
            Q80Vector.expand(src, srcOff, dst, dstOff, blocks);
        } else {
            dequantize(src, srcOff, dst, dstOff, blocks);
        }
    }

    @Override
    public float dot(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        return VectorPath.ENABLED ? Q80Vector.dot(w, wOff, x, xOff, blocks) : dotReference(w, wOff, x, xOff, blocks);
    }

    @Override
    public boolean readsWidenedHalves() {
        return VectorPath.ROW_PAIRS;
    }

    @Override
    public void dotRows(
            byte[] w, int wOff, int rowBytes, float[] halves, int hOff, float[] x, int xOff, int blocks, float[] y,
            int yOff, int count) {
        if (VectorPath.ROW_PAIRS) {
            Q80Vector.dotRows(w, wOff, rowBytes, halves, hOff, x, xOff, blocks, y, yOff, count);
        } else {
            super.dotRows(w, wOff, rowBytes, halves, hOff, x, xOff, blocks, y, yOff, count);
        }
    }

    @Override
    public void dotRows4(
            byte[] w, int wOff, int rowBytes, float[] halves, int hOff, float[] x, int xOff, int xStride, int blocks,
            float[] y, int yOff, int yStride, int count) {
        if (VectorPath.ROW_PAIRS && BlockLanes.WIDE) {
            Q80Vector.dotRows4(w, wOff, rowBytes, halves, hOff, x, xOff, xStride, blocks, y, yOff, yStride, count);
        } else {
            super.dotRows4(w, wOff, rowBytes, halves, hOff, x, xOff, xStride, blocks, y, yOff, yStride, count);
        }
    }

    @Override
    public float dotReference(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        float sum = 0f;
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * TYPE_SIZE;
            int xo = xOff + b * BLOCK_SIZE;
            float s = 0f;
            for (int j = 0; j < BLOCK_SIZE; j++) {
                s += w[p + 2 + j] * x[xo + j];
            }
            sum += BlockBytes.half(w, p) * s;
        }
        return sum;
    }

    @Override
    public float dotQ8(byte[] w, int wOff, Q8Activations a, int aOff, int blocks) {
        return VectorPath.ENABLED
                ? Q80Vector.dotQ8(w, wOff, a, aOff, blocks)
                : dotQ8Reference(w, wOff, a, aOff, blocks);
    }

    @Override
    public float dotQ8Reference(byte[] w, int wOff, Q8Activations a, int aOff, int blocks) {
        byte[] codes = a.codes();
        float[] scales = a.scales();
        int first = aOff / Q8Activations.BLOCK;
        float sum = 0f;
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * TYPE_SIZE;
            int ao = aOff + b * BLOCK_SIZE;
            int isum = 0;
            for (int j = 0; j < BLOCK_SIZE; j++) {
                isum += w[p + 2 + j] * codes[ao + j];
            }
            sum += BlockBytes.half(w, p) * scales[first + b] * isum;
        }
        return sum;
    }
}
