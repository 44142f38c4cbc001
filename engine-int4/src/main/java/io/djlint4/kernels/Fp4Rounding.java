package io.djlint4.kernels;

/**
 * Rounds rows of values to FP4 on a unit per channel and returns the representable values ({@link
 * Fp4Format#quantize} applied to each), with the Vector API when it is available. Both paths give
 * the same floats bit for bit; NaN gives 0 on both, as in {@link Fp4Format#quantize}.
 */
public final class Fp4Rounding {

    private static final Fp4RowRounder SCALAR = new ScalarFp4RowRounder();
    private static final Fp4RowRounder VECTOR_OR_NULL =
            VectorSupport.isAvailable() ? VectorKernels.fp4RowRounder() : null;

    private Fp4Rounding() {}

    /**
     * Rounds {@code x[off .. off+n)}, value {@code j} on {@code units[j]}, into {@code out} at the
     * same offsets.
     *
     * @param format the FP4 format
     * @param x the values
     * @param off the row's offset in {@code x} and {@code out}
     * @param units the unit of each of the {@code n} channels, positive
     * @param n the row length
     * @param out receives the representable values
     */
    public static void quantizeRow(Fp4Format format, float[] x, int off, float[] units, int n, float[] out) {
        (VECTOR_OR_NULL != null ? VECTOR_OR_NULL : SCALAR).quantizeRow(format, x, off, units, n, out);
    }

    /**
     * The scalar reference of {@link #quantizeRow}; same contract.
     *
     * @param format the FP4 format
     * @param x the values
     * @param off the row's offset in {@code x} and {@code out}
     * @param units the unit of each of the {@code n} channels, positive
     * @param n the row length
     * @param out receives the representable values
     */
    public static void quantizeRowScalar(Fp4Format format, float[] x, int off, float[] units, int n, float[] out) {
        SCALAR.quantizeRow(format, x, off, units, n, out);
    }
}
