package io.djlint4.kernels;

/**
 * Per output row and scale group of a {@link PackedInt4Matrix}, the sum of its weights' codes
 * minus their zero point, {@code W[o, G] = Σ_{k∈G} (q_w[o, k] − z_w[o, G])}: what asymmetric
 * activation codes need (ALGORITHMS.md §2.4 b), since with {@code x = s_x·(q_x − z_x)} a group's
 * integer sum is {@code Σ q_x·(q_w − z_w) − z_x·W[o, G]}. Computed once when a layer is built; laid
 * out per tile like the matrix's scales, so a kernel loads all rows of a tile with one vector load.
 */
public final class WeightCodeSums {

    private final PackedInt4Matrix matrix;
    private final int[] tileSums;

    private WeightCodeSums(PackedInt4Matrix matrix, int[] tileSums) {
        this.matrix = matrix;
        this.tileSums = tileSums;
    }

    /**
     * Sums the codes of a matrix.
     *
     * @param w the packed weight
     * @return its code sums
     */
    public static WeightCodeSums of(PackedInt4Matrix w) {
        if (!w.hasIntegerZeroPoints()) {
            throw new IllegalArgumentException("asymmetric activation codes need integer weight zero points");
        }
        // laid out as the scales: one array of the same shape
        int[] sums = new int[w.tileScales().length];
        int g = w.groupSize();
        for (int o = 0; o < w.rows(); o++) {
            for (int grp = 0; grp < w.groups(); grp++) {
                int z = (int) w.zeroPoint(o, grp);
                int sum = 0;
                for (int k = grp * g; k < Math.min(w.cols(), grp * g + g); k++) {
                    sum += w.code(o, k) - z;
                }
                sums[w.groupIndex(o, grp)] = sum;
            }
        }
        return new WeightCodeSums(w, sums);
    }

    /**
     * Returns whether these are the sums of {@code w}.
     *
     * @param w a packed weight
     * @return {@code true} when built from this very matrix
     */
    public boolean belongsTo(PackedInt4Matrix w) {
        return matrix == w;
    }

    /**
     * Returns one sum.
     *
     * @param row the output channel
     * @param group the group along the input channels
     * @return {@code W[row, group]}
     */
    public int sum(int row, int group) {
        return tileSums[matrix.groupIndex(row, group)];
    }

    /** The sums in the tiled layout of the matrix's scales. */
    int[] tileArray() {
        return tileSums;
    }
}
