package io.djlint4.kernels.gguf;

import io.djlint4.checkpoint.Float16;

/**
 * Encodes floats as K-quant super-blocks, for fixtures. A plain scheme, not ggml's search: each
 * sub-block's range is covered (the fp16 super-block scales are rounded up, the 6- or 8-bit
 * sub-block scales and mins are rounded up), then codes are rounded to nearest, so every value is
 * within half a quantization step of its original.
 */
public final class KQuantEncoders {

    private KQuantEncoders() {}

    /**
     * Encodes {@code values} in format {@code f}.
     *
     * @param f {@link Q4KFormat#INSTANCE}, {@link Q5KFormat#INSTANCE} or {@link Q6KFormat#INSTANCE}
     * @param values finite values, a multiple of 256 of them
     * @return the super-blocks
     */
    public static byte[] encode(BlockFormat f, float[] values) {
        if (values.length % 256 != 0) {
            throw new IllegalArgumentException(f.typeName() + " encodes whole super-blocks of 256, got " + values.length);
        }
        int blocks = values.length / 256;
        byte[] out = new byte[blocks * f.typeSize()];
        for (int b = 0; b < blocks; b++) {
            int[] q = new int[256];
            int p = b * f.typeSize();
            if (f == Q4KFormat.INSTANCE) {
                scalesAndMins(values, b * 256, 15, q, out, p);
                for (int i = 0; i < 128; i++) {
                    int r = i / 32;
                    int l = i % 32;
                    out[p + Q4KFormat.QS + i] = (byte) (q[64 * r + l] | q[64 * r + 32 + l] << 4);
                }
            } else if (f == Q5KFormat.INSTANCE) {
                scalesAndMins(values, b * 256, 31, q, out, p);
                for (int i = 0; i < 128; i++) {
                    int r = i / 32;
                    int l = i % 32;
                    int c0 = q[64 * r + l];
                    int c1 = q[64 * r + 32 + l];
                    out[p + Q5KFormat.QS + i] = (byte) ((c0 & 0xF) | (c1 & 0xF) << 4);
                    out[p + Q5KFormat.QH + l] |= (byte) ((c0 >> 4) << (2 * r) | (c1 >> 4) << (2 * r + 1));
                }
            } else if (f == Q6KFormat.INSTANCE) {
                q6(values, b * 256, out, p);
            } else {
                throw new IllegalArgumentException("not a K-quant format: " + f.typeName());
            }
        }
        return out;
    }

    /** The smallest fp16 at least {@code v} (v ≥ 0). */
    private static int halfAtLeast(double v) {
        int h = Float16.fromFloat((float) v) & 0xFFFF;
        return Float16.toFloat(h) < v ? h + 1 : h;
    }

    private static void putHalf(byte[] out, int off, int h) {
        out[off] = (byte) h;
        out[off + 1] = (byte) (h >>> 8);
    }

    /**
     * Q4_K/Q5_K scales and mins for the super-block at {@code v}, packed as {@code
     * get_scale_min_k4} reads them; fills {@code q} with codes in {@code 0..levels}.
     */
    private static void scalesAndMins(float[] values, int v, int levels, int[] q, byte[] out, int p) {
        double[] lo = new double[8];
        double[] hi = new double[8];
        double maxMin = 0;
        for (int j = 0; j < 8; j++) {
            lo[j] = 0;
            hi[j] = 0;
            for (int l = 0; l < 32; l++) {
                lo[j] = Math.min(lo[j], values[v + 32 * j + l]);
                hi[j] = Math.max(hi[j], values[v + 32 * j + l]);
            }
            maxMin = Math.max(maxMin, -lo[j]);
        }
        int dminBits = halfAtLeast(maxMin / 63);
        double dmin = Float16.toFloat(dminBits);
        int[] m = new int[8];
        double[] step = new double[8];
        double maxStep = 0;
        for (int j = 0; j < 8; j++) {
            m[j] = dmin == 0 ? 0 : Math.min(63, (int) Math.ceil(-lo[j] / dmin));
            step[j] = (hi[j] + dmin * m[j]) / levels;
            maxStep = Math.max(maxStep, step[j]);
        }
        int dBits = halfAtLeast(maxStep / 63);
        double d = Float16.toFloat(dBits);
        int[] sc = new int[8];
        for (int j = 0; j < 8; j++) {
            sc[j] = d == 0 ? 0 : Math.min(63, (int) Math.ceil(step[j] / d));
            double s = d * sc[j];
            for (int l = 0; l < 32; l++) {
                int c = s == 0 ? 0 : (int) Math.round((values[v + 32 * j + l] + dmin * m[j]) / s);
                q[32 * j + l] = Math.max(0, Math.min(levels, c));
            }
        }
        putHalf(out, p, dBits);
        putHalf(out, p + 2, dminBits);
        int s = p + 4;
        for (int j = 0; j < 4; j++) {
            out[s + j] = (byte) (sc[j] | (sc[j + 4] >> 4) << 6);
            out[s + j + 4] = (byte) (m[j] | (m[j + 4] >> 4) << 6);
            out[s + j + 8] = (byte) ((sc[j + 4] & 0xF) | (m[j + 4] & 0xF) << 4);
        }
    }

    private static void q6(float[] values, int v, byte[] out, int p) {
        double[] step = new double[16];
        double maxStep = 0;
        for (int j = 0; j < 16; j++) {
            double amax = 0;
            for (int l = 0; l < 16; l++) {
                amax = Math.max(amax, Math.abs(values[v + 16 * j + l]));
            }
            step[j] = amax / 31;
            maxStep = Math.max(maxStep, step[j]);
        }
        int dBits = halfAtLeast(maxStep / 127);
        double d = Float16.toFloat(dBits);
        int[] q = new int[256];
        for (int j = 0; j < 16; j++) {
            int sc = d == 0 ? 0 : Math.min(127, (int) Math.ceil(step[j] / d));
            out[p + Q6KFormat.SCALES + j] = (byte) sc;
            double s = d * sc;
            for (int l = 0; l < 16; l++) {
                int c = s == 0 ? 0 : (int) Math.round(values[v + 16 * j + l] / s);
                q[16 * j + l] = Math.max(-32, Math.min(31, c)) + 32;
            }
        }
        for (int n = 0; n < 2; n++) {
            for (int l = 0; l < 32; l++) {
                int[] g = new int[4];
                for (int k = 0; k < 4; k++) {
                    g[k] = q[128 * n + 32 * k + l];
                }
                out[p + 64 * n + l] = (byte) ((g[0] & 0xF) | (g[2] & 0xF) << 4);
                out[p + 64 * n + 32 + l] = (byte) ((g[1] & 0xF) | (g[3] & 0xF) << 4);
                out[p + Q6KFormat.QH + 32 * n + l] =
                        (byte) (g[0] >> 4 | (g[1] >> 4) << 2 | (g[2] >> 4) << 4 | (g[3] >> 4) << 6);
            }
        }
        putHalf(out, p + Q6KFormat.D, dBits);
    }
}
