package io.djlint4.kernels;

/**
 * Per-call preparation of activations for {@link TileKernels#dotInt4}: the copy pre-scaled by
 * {@code 16^−(k%8)} the in-place nibble decode needs, and per weight group the sums that turn the
 * kernel's nibble sums into code sums ({@code Σ bias·x}, see {@link NibbleTiles#int4Bias}) and
 * apply zero points ({@code Σ x}); for {@link TileKernels#int4CodeTile}, the same for integer codes
 * with the codes rearranged into 16-bit pairs. Linear in the activations, negligible next to the
 * product.
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

    /**
     * Returns the ints per token that {@link #codePairs} writes: four per chunk of eight columns.
     *
     * @param in columns
     * @return the stride between tokens
     */
    static int pairStride(int in) {
        return 4 * ((in + NibbleTiles.CHUNK - 1) / NibbleTiles.CHUNK);
    }

    /**
     * Writes the codes of {@code rows} tokens as the pairs {@link TileKernels#int4CodeTile} reads:
     * int {@code t·stride + 4c + j} ({@code j < 4}) holds column {@code 8c + j} in its low and
     * column {@code 8c + 4 + j} in its high 16 bits, matching the two 16-bit halves of a packed
     * word. Columns past {@code in} are zero.
     */
    static void codePairs(byte[] q, int rows, int in, int[] out) {
        int stride = pairStride(in);
        for (int t = 0; t < rows; t++) {
            int dst = t * stride;
            for (int i = 0; i < stride; i++) {
                int c = i / 4;
                int j = i % 4;
                int lo = 8 * c + j;
                int hi = lo + 4;
                int low = lo < in ? q[t * in + lo] : 0;
                int high = hi < in ? q[t * in + hi] : 0;
                out[dst + i] = (high << 16) | (low & 0xFFFF);
            }
        }
    }

    /**
     * Writes, for each token t and group G of {@code g} columns, {@code out[off + t·groups + G] =
     * Σ_{k∈G} bias(k)·q[t, k]} and {@code out[off + (rows + t)·groups + G] = Σ_{k∈G} q[t, k]}.
     */
    static void codeGroupSums(
            byte[] q, int rows, int in, int g, int groups, boolean signed, int[] out, int off) {
        for (int t = 0; t < rows; t++) {
            for (int grp = 0; grp < groups; grp++) {
                int b = 0;
                int s = 0;
                for (int k = grp * g; k < Math.min(in, grp * g + g); k++) {
                    int v = q[t * in + k];
                    b += NibbleTiles.int4Bias(k, signed) * v;
                    s += v;
                }
                out[off + t * groups + grp] = b;
                out[off + (rows + t) * groups + grp] = s;
            }
        }
    }
}
