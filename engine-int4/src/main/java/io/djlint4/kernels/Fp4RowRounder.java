package io.djlint4.kernels;

/** The kernel behind {@link Fp4Rounding}: one row rounded to FP4 on per-channel units. */
interface Fp4RowRounder {

    /**
     * Rounds {@code x[off + j]} on {@code units[j]} into {@code out[off + j]} for {@code j < n}.
     *
     * @param format the FP4 format
     * @param x the values
     * @param off the row's offset
     * @param units the unit of each channel, positive
     * @param n the row length
     * @param out receives the representable values
     */
    void quantizeRow(Fp4Format format, float[] x, int off, float[] units, int n, float[] out);
}
