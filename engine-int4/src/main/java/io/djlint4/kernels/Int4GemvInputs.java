package io.djlint4.kernels;

/**
 * Per-call preparation of activations for {@link TileKernels#dotInt4}: the copy pre-scaled by
 * {@code 16^−(k%8)} the in-place nibble decode needs, and per weight group the sums that turn the
 * kernel's nibble sums into code sums ({@code Σ bias·x}, see {@link NibbleTiles#int4Bias}) and
 * apply zero points ({@code Σ x}). Linear in the activations, negligible next to the product.
 */
final class Int4GemvInputs {

    private static final float[] SCALE = new float[NibbleTiles.CHUNK];

    static {
        for (int j = 0; j < NibbleTiles.CHUNK; j++) {
            SCALE[j] = Math.scalb(1f, -4 * j);
        }
    }

    private Int4GemvInputs() {}

    /**
     * Writes {@code xs[i] = x[i]·16^−(k%8)} for the {@code rows × in} activations ({@code k = i %
     * in}).
     */
    static void prescale(float[] x, int rows, int in, float[] xs) {
        for (int t = 0; t < rows; t++) {
            int off = t * in;
            for (int k = 0; k < in; k++) {
                xs[off + k] = x[off + k] * SCALE[k % NibbleTiles.CHUNK];
            }
        }
    }

    /**
     * Writes, for each token t and group G of {@code g} columns, {@code out[t·groups + G] =
     * Σ_{k∈G} bias(k)·x[t, k]} and {@code out[sumsOff + t·groups + G] = Σ_{k∈G} x[t, k]}.
     */
    static void groupSums(
            float[] x, int rows, int in, int g, int groups, boolean signed, float[] out, int sumsOff) {
        for (int t = 0; t < rows; t++) {
            for (int grp = 0; grp < groups; grp++) {
                float b = 0f;
                float s = 0f;
                for (int k = grp * g; k < Math.min(in, grp * g + g); k++) {
                    float v = x[t * in + k];
                    b += NibbleTiles.int4Bias(k, signed) * v;
                    s += v;
                }
                out[t * groups + grp] = b;
                out[sumsOff + t * groups + grp] = s;
            }
        }
    }
}
