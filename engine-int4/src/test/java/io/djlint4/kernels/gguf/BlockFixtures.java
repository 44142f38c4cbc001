package io.djlint4.kernels.gguf;

import io.djlint4.checkpoint.Float16;
import java.util.List;
import java.util.Random;

/** Random valid blocks of the 32-value types and double-precision oracles for their products. */
final class BlockFixtures {

    /** The six formats under test. */
    static final List<BlockFormat> FORMATS =
            List.of(
                    Q40Format.INSTANCE,
                    Q41Format.INSTANCE,
                    Q50Format.INSTANCE,
                    Q51Format.INSTANCE,
                    Q80Format.INSTANCE,
                    Iq4NlFormat.INSTANCE);

    private BlockFixtures() {}

    /** Whether the type stores a minimum {@code m} (fp16 at byte 2) after its scale {@code d} (fp16 at byte 0). */
    static boolean hasMin(BlockFormat f) {
        return f == Q41Format.INSTANCE || f == Q51Format.INSTANCE;
    }

    static void putHalf(byte[] b, int off, int halfBits) {
        b[off] = (byte) halfBits;
        b[off + 1] = (byte) (halfBits >>> 8);
    }

    /**
     * Returns {@code lead} junk bytes followed by {@code blocks} blocks of random codes with finite
     * fp16 scales of either sign around 0.05 and minimums around 0.5, negative ones included.
     */
    static byte[] randomBlocks(BlockFormat f, Random rnd, int lead, int blocks) {
        byte[] w = new byte[lead + blocks * f.typeSize() + 7];
        rnd.nextBytes(w);
        for (int b = 0; b < blocks; b++) {
            int p = lead + b * f.typeSize();
            putHalf(w, p, Float16.fromFloat((float) (rnd.nextGaussian() * 0.05)));
            if (hasMin(f)) {
                putHalf(w, p + 2, Float16.fromFloat((float) (rnd.nextGaussian() * 0.5)));
            }
        }
        return w;
    }

    static float[] gaussian(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }

    /** The dequantized weights, through the format's scalar reference. */
    static float[] dequantize(BlockFormat f, byte[] w, int wOff, int blocks) {
        float[] v = new float[blocks * f.blockSize()];
        f.dequantize(w, wOff, v, 0, blocks);
        return v;
    }

    /** {@code Σ w[k]·x[k]} in double. */
    static double dot(float[] w, float[] x, int xOff) {
        double s = 0;
        for (int k = 0; k < w.length; k++) {
            s += (double) w[k] * x[xOff + k];
        }
        return s;
    }

    /**
     * {@code Σ (|d·q_k| + |m|)·|x_k|}: the size of the terms a product forms, which bounds the
     * rounding of its float sums (a minimum can cancel {@code d·q}, so {@code Σ |w·x|} may be
     * smaller). Computed by dequantizing with {@code m}, then {@code d}, zeroed.
     */
    static double magnitude(BlockFormat f, byte[] w, int wOff, float[] x, int xOff, int blocks) {
        float[] scaled = dequantize(f, withZeroed(f, w, wOff, blocks, 2), wOff, blocks);
        float[] mins = dequantize(f, withZeroed(f, w, wOff, blocks, 0), wOff, blocks);
        double s = 0;
        for (int k = 0; k < scaled.length; k++) {
            s += (Math.abs(scaled[k]) + (hasMin(f) ? Math.abs(mins[k]) : 0)) * Math.abs(x[xOff + k]);
        }
        return s;
    }

    private static byte[] withZeroed(BlockFormat f, byte[] w, int wOff, int blocks, int field) {
        byte[] c = w.clone();
        for (int b = 0; b < blocks; b++) {
            if (field == 0 || hasMin(f)) {
                putHalf(c, wOff + b * f.typeSize() + field, 0);
            }
        }
        return c;
    }

    /** The activations {@code d_a·q_a} the 8-bit products multiply by. */
    static float[] dequantize(Q8Activations a) {
        float[] v = new float[a.codes().length];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.scales()[i / Q8Activations.BLOCK] * a.codes()[i];
        }
        return v;
    }
}
