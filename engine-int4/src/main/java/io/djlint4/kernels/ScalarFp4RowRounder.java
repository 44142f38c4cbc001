package io.djlint4.kernels;

/** {@link Fp4RowRounder} one value at a time, the reference of the vector path. */
final class ScalarFp4RowRounder implements Fp4RowRounder {

    @Override
    public void quantizeRow(Fp4Format format, float[] x, int off, float[] units, int n, float[] out) {
        for (int j = 0; j < n; j++) {
            out[off + j] = format.quantize(x[off + j], units[j]);
        }
    }
}
