package io.djlint4.kernels.gguf;

import io.djlint4.checkpoint.Float16;

/**
 * Quantizes floats to the 32-value block types as ggml's reference quantizers ({@code
 * quantize_row_*_ref}) do, round to nearest with a scale from the block's extremes; for {@code
 * IQ4_NL} a plain search over scales that keep the block inside the grid. For test fixtures.
 */
public final class SmallBlockEncoders {

    private static final int BLOCK = 32;

    // kvalues_iq4nl, written out again so the encoder does not lean on the code under test.
    private static final int[] IQ4NL_GRID = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};

    private SmallBlockEncoders() {}

    /**
     * Encodes values in one of the six 32-value block types.
     *
     * @param f Q4_0, Q4_1, Q5_0, Q5_1, Q8_0 or IQ4_NL
     * @param values a multiple of 32 values
     * @return the blocks
     */
    public static byte[] encode(BlockFormat f, float[] values) {
        byte[] out = new byte[f.rowBytes(values.length)];
        for (int b = 0; b < values.length / BLOCK; b++) {
            int x = b * BLOCK;
            int o = b * f.typeSize();
            switch (f.ggmlType()) {
                case Q40Format.GGML_TYPE -> q40(values, x, out, o);
                case Q41Format.GGML_TYPE -> q41(values, x, out, o);
                case Q50Format.GGML_TYPE -> q50(values, x, out, o);
                case Q51Format.GGML_TYPE -> q51(values, x, out, o);
                case Q80Format.GGML_TYPE -> q80(values, x, out, o);
                case Iq4NlFormat.GGML_TYPE -> iq4nl(values, x, out, o);
                default -> throw new IllegalArgumentException("no encoder for " + f.typeName());
            }
        }
        return out;
    }

    /** quantize_row_q4_0_ref: d = max / -8 from the value of largest magnitude. */
    private static void q40(float[] x, int off, byte[] out, int o) {
        float max = signedMax(x, off);
        float d = max / -8;
        float id = d != 0 ? 1 / d : 0;
        putHalf(out, o, d);
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(15, (int) (x[off + j] * id + 8.5f));
            int hi = Math.min(15, (int) (x[off + 16 + j] * id + 8.5f));
            out[o + 2 + j] = (byte) (lo | hi << 4);
        }
    }

    /** quantize_row_q4_1_ref: d = (max - min) / 15, m = min. */
    private static void q41(float[] x, int off, byte[] out, int o) {
        float min = min(x, off);
        float d = (max(x, off) - min) / 15;
        float id = d != 0 ? 1 / d : 0;
        putHalf(out, o, d);
        putHalf(out, o + 2, min);
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(15, (int) ((x[off + j] - min) * id + 0.5f));
            int hi = Math.min(15, (int) ((x[off + 16 + j] - min) * id + 0.5f));
            out[o + 4 + j] = (byte) (lo | hi << 4);
        }
    }

    /** quantize_row_q5_0_ref: d = max / -16, codes 0..31 with the fifth bits in qh. */
    private static void q50(float[] x, int off, byte[] out, int o) {
        float max = signedMax(x, off);
        float d = max / -16;
        float id = d != 0 ? 1 / d : 0;
        putHalf(out, o, d);
        int[] q = new int[BLOCK];
        for (int j = 0; j < BLOCK; j++) {
            q[j] = Math.min(31, (int) (x[off + j] * id + 16.5f));
        }
        putFiveBitCodes(q, out, o + 2);
    }

    /** quantize_row_q5_1_ref: d = (max - min) / 31, m = min. */
    private static void q51(float[] x, int off, byte[] out, int o) {
        float min = min(x, off);
        float d = (max(x, off) - min) / 31;
        float id = d != 0 ? 1 / d : 0;
        putHalf(out, o, d);
        putHalf(out, o + 2, min);
        int[] q = new int[BLOCK];
        for (int j = 0; j < BLOCK; j++) {
            q[j] = Math.min(31, (int) ((x[off + j] - min) * id + 0.5f));
        }
        putFiveBitCodes(q, out, o + 4);
    }

    /** quantize_row_q8_0_ref: d = amax / 127, codes rounded half away from zero. */
    private static void q80(float[] x, int off, byte[] out, int o) {
        float d = Math.abs(signedMax(x, off)) / 127;
        float id = d != 0 ? 1 / d : 0;
        putHalf(out, o, d);
        for (int j = 0; j < BLOCK; j++) {
            float v = x[off + j] * id;
            out[o + 2 + j] = (byte) (int) (Math.signum(v) * Math.floor(Math.abs(v) + 0.5f));
        }
    }

    /**
     * IQ4_NL: tries scales |d| = amax / k for k = 113 down to 80, both signs (so the whole block
     * stays inside the grid, within half a grid gap of a grid point), each value on its nearest
     * grid point under the fp16-rounded d, and keeps the one of least squared error.
     */
    private static void iq4nl(float[] x, int off, byte[] out, int o) {
        float amax = Math.abs(signedMax(x, off));
        float bestD = 0f;
        double bestErr = Double.MAX_VALUE;
        for (int k = 113; k >= 80 && amax > 0; k--) {
            for (int sign = -1; sign <= 1; sign += 2) {
                float d = Float16.toFloat(Float16.fromFloat(sign * amax / k));
                double err = 0;
                for (int j = 0; j < BLOCK; j++) {
                    double e = x[off + j] - d * IQ4NL_GRID[nearest(x[off + j], d)];
                    err += e * e;
                }
                if (err < bestErr) {
                    bestErr = err;
                    bestD = d;
                }
            }
        }
        putHalf(out, o, bestD);
        for (int j = 0; j < 16; j++) {
            out[o + 2 + j] = (byte) (nearest(x[off + j], bestD) | nearest(x[off + 16 + j], bestD) << 4);
        }
    }

    /** The index of the grid point nearest to {@code v} under scale {@code d}. */
    private static int nearest(float v, float d) {
        int best = 0;
        for (int i = 1; i < IQ4NL_GRID.length; i++) {
            if (Math.abs(v - d * IQ4NL_GRID[i]) < Math.abs(v - d * IQ4NL_GRID[best])) {
                best = i;
            }
        }
        return best;
    }

    /** Low nibbles to qs[16] (values j and 16 + j share byte j), fifth bits to the word qh before them. */
    private static void putFiveBitCodes(int[] q, byte[] out, int qhOff) {
        int qh = 0;
        for (int j = 0; j < 16; j++) {
            out[qhOff + 4 + j] = (byte) ((q[j] & 0xF) | (q[16 + j] & 0xF) << 4);
            qh |= (q[j] >> 4) << j | (q[16 + j] >> 4) << (16 + j);
        }
        for (int i = 0; i < 4; i++) {
            out[qhOff + i] = (byte) (qh >>> (8 * i));
        }
    }

    /** The value of largest magnitude, the first one on ties, as ggml's loops pick it. */
    private static float signedMax(float[] x, int off) {
        float amax = 0;
        float max = 0;
        for (int j = 0; j < BLOCK; j++) {
            if (amax < Math.abs(x[off + j])) {
                amax = Math.abs(x[off + j]);
                max = x[off + j];
            }
        }
        return max;
    }

    private static float min(float[] x, int off) {
        float m = Float.MAX_VALUE;
        for (int j = 0; j < BLOCK; j++) {
            m = Math.min(m, x[off + j]);
        }
        return m;
    }

    private static float max(float[] x, int off) {
        float m = -Float.MAX_VALUE;
        for (int j = 0; j < BLOCK; j++) {
            m = Math.max(m, x[off + j]);
        }
        return m;
    }

    private static void putHalf(byte[] out, int o, float v) {
        short h = Float16.fromFloat(v);
        out[o] = (byte) h;
        out[o + 1] = (byte) (h >> 8);
    }
}
