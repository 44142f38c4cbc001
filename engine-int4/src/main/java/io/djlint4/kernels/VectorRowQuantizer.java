package io.djlint4.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RowQuantizer} with the Vector API. Rounds half-to-even like {@link Math#rint} by adding and
 * subtracting 1.5·2^23 after the clamp (exact for the clamped range), so codes equal the scalar
 * path's bit for bit.
 */
final class VectorRowQuantizer implements RowQuantizer {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final float ROUNDER = 12582912f;

    @Override
    public float quantizeRow(
            float[] x, int xOff, int n, float clip, int qmax, byte[] codes, float[] values, int off) {
        int lanes = F.length();
        int bound = F.loopBound(n);
        FloatVector vmax = FloatVector.zero(F);
        int i = 0;
        for (; i < bound; i += lanes) {
            vmax = vmax.max(FloatVector.fromArray(F, x, xOff + i).abs());
        }
        float amax = vmax.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            amax = Math.max(amax, Math.abs(x[xOff + i]));
        }
        float s = ScalarRowQuantizer.scaleOf(amax, clip, qmax);
        float lo = -qmax - 1;
        float hi = qmax;
        for (i = 0; i < bound; i += lanes) {
            rounded(FloatVector.fromArray(F, x, xOff + i), s, lo, hi).intoArray(values, off + i);
        }
        for (; i < n; i++) {
            values[off + i] = rounded(x[xOff + i], s, lo, hi);
        }
        for (i = 0; i < n; i++) {
            codes[off + i] = (byte) values[off + i];
        }
        return s;
    }

    /**
     * Clamps {@code x/s} to {@code [−z, qmax − z]} before rounding, then adds the centred zero:
     * with integer bounds, rounding then clamping and clamping then rounding agree, so the codes
     * equal the scalar path's {@code clamp(rint(x/s) + z, 0, qmax)}.
     */
    @Override
    public AsymmetricRowGrid quantizeRowAsymmetric(
            float[] x, int xOff, int n, float clip, int bits, byte[] codes, float[] values, int off) {
        int lanes = F.length();
        int bound = F.loopBound(n);
        Extremes e = Extremes.of(x, xOff, n);
        AsymmetricRowGrid grid = AsymmetricRowGrid.fit(e.min(), e.max(), clip, bits);
        float s = grid.scale();
        int half = 1 << (bits - 1);
        int z = grid.centredZero() + half;
        float lo = -z;
        float hi = (1 << bits) - 1 - z;
        float centredZero = grid.centredZero();
        int i = 0;
        for (; i < bound; i += lanes) {
            rounded(FloatVector.fromArray(F, x, xOff + i), s, lo, hi).add(centredZero).intoArray(values, off + i);
        }
        for (; i < n; i++) {
            values[off + i] = rounded(x[xOff + i], s, lo, hi) + centredZero;
        }
        for (i = 0; i < n; i++) {
            codes[off + i] = (byte) values[off + i];
        }
        return grid;
    }

    /**
     * Fused: the row's extremes, its grid, then {@code rint(clamp(x/s)) · s} on vectors, where the
     * clamp bounds are {@code [−qmax−1, qmax]} (symmetric) or {@code [−z, qmax − z]}, so the rounded
     * value is {@code q} or {@code q − z} exactly. A zero code gives {@code +0.0}, as the integer
     * product of the scalar path does (adding 0 turns a rounded {@code −0.0} into {@code +0.0}).
     */
    @Override
    public void roundRow(float[] x, int xOff, int n, float clip, int bits, boolean symmetric, float[] out, int outOff) {
        int lanes = F.length();
        int bound = F.loopBound(n);
        Extremes e = Extremes.of(x, xOff, n);
        float s;
        float lo;
        float hi;
        if (symmetric) {
            int qmax = (1 << (bits - 1)) - 1;
            s = ScalarRowQuantizer.scaleOf(Math.max(-e.min(), e.max()), clip, qmax);
            lo = -qmax - 1;
            hi = qmax;
        } else {
            AsymmetricRowGrid grid = AsymmetricRowGrid.fit(e.min(), e.max(), clip, bits);
            s = grid.scale();
            int z = grid.centredZero() + (1 << (bits - 1));
            lo = -z;
            hi = (1 << bits) - 1 - z;
        }
        int i = 0;
        for (; i < bound; i += lanes) {
            rounded(FloatVector.fromArray(F, x, xOff + i), s, lo, hi).add(0f).mul(s).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = (rounded(x[xOff + i], s, lo, hi) + 0f) * s;
        }
    }

    /** {@code rint(clamp(x/s, lo, hi))}: with the clamp first the rounding trick is exact. */
    private static FloatVector rounded(FloatVector x, float s, float lo, float hi) {
        return x.div(s).max(lo).min(hi).add(ROUNDER).sub(ROUNDER);
    }

    /** The same for the lanes past the last whole vector, with {@link Math#rint}. */
    private static float rounded(float x, float s, float lo, float hi) {
        return (float) Math.rint(Math.max(lo, Math.min(hi, x / s)));
    }

    /** A row's smallest and largest values, each against 0 (the grids' range always holds 0). */
    private record Extremes(float min, float max) {
        static Extremes of(float[] x, int xOff, int n) {
            int lanes = F.length();
            int bound = F.loopBound(n);
            FloatVector vmin = FloatVector.zero(F);
            FloatVector vmax = vmin;
            int i = 0;
            for (; i < bound; i += lanes) {
                FloatVector v = FloatVector.fromArray(F, x, xOff + i);
                vmin = vmin.min(v);
                vmax = vmax.max(v);
            }
            float min = vmin.reduceLanes(VectorOperators.MIN);
            float max = vmax.reduceLanes(VectorOperators.MAX);
            for (; i < n; i++) {
                min = Math.min(min, x[xOff + i]);
                max = Math.max(max, x[xOff + i]);
            }
            return new Extremes(min, max);
        }
    }
}
