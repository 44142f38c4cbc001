package io.djlint4.kernels.gguf;

/** The 6-bit sub-block scales and mins that Q4_K and Q5_K pack alike, and their kernels unpack. */
final class KQuants {

    private KQuants() {}

    /**
     * Unpacks the 6-bit scale and min of sub-block {@code j} (0..7) from the 12 bytes at {@code
     * off}, as ggml's {@code get_scale_min_k4}: for {@code j < 4} the low six bits of bytes {@code
     * j} (scale) and {@code j+4} (min); for {@code j >= 4} the nibbles of byte {@code j+4} (scale
     * low, min high) below the top two bits of bytes {@code j-4} (scale) and {@code j} (min).
     *
     * @return {@code scale << 8 | min}, read with {@link #scale} and {@link #min}
     */
    static int scaleMin(byte[] b, int off, int j) {
        if (j < 4) {
            return (b[off + j] & 63) << 8 | (b[off + j + 4] & 63);
        }
        int lo = b[off + j + 4] & 0xFF;
        int sc = (lo & 0xF) | ((b[off + j - 4] & 0xFF) >>> 6) << 4;
        int m = (lo >>> 4) | ((b[off + j] & 0xFF) >>> 6) << 4;
        return sc << 8 | m;
    }

    /** The scale of a {@link #scaleMin} result, 0..63. */
    static int scale(int scaleMin) {
        return scaleMin >>> 8;
    }

    /** The min of a {@link #scaleMin} result, 0..63. */
    static int min(int scaleMin) {
        return scaleMin & 0xFF;
    }
}
