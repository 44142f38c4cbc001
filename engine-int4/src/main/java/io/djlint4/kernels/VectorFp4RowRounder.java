package io.djlint4.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Fp4RowRounder} with the Vector API, step for step as {@link Fp4Format#quantize}: the
 * binade's step from the exponent bits of the saturated magnitude, the rounding half-to-even by
 * adding and subtracting 1.5·2^23 (exact, since the value in steps is at most 64), and the sign
 * applied after, with {@code +0} for negative values that round to zero and for NaN, as the scalar
 * path's integer arithmetic gives.
 */
final class VectorFp4RowRounder implements Fp4RowRounder {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final float ROUNDER = 12582912f;

    @Override
    public void quantizeRow(Fp4Format format, float[] x, int off, float[] units, int n, float[] out) {
        float max = format.maxMagnitude();
        int mantissa = format.mantissaBits();
        int lanes = F.length();
        int bound = F.loopBound(n);
        int j = 0;
        for (; j < bound; j += lanes) {
            FloatVector unit = FloatVector.fromArray(F, units, j);
            FloatVector v = FloatVector.fromArray(F, x, off + j).div(unit);
            FloatVector a = v.abs().min(max);
            IntVector exponent = a.reinterpretAsInts().lanewise(VectorOperators.LSHR, 23).sub(127);
            IntVector stepExponent = exponent.sub(mantissa).max(0);
            FloatVector step = stepExponent.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector inverseStep =
                    IntVector.broadcast(I, 127).sub(stepExponent).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector k = a.mul(inverseStep).add(ROUNDER).sub(ROUNDER).mul(step);
            VectorMask<Float> negative = v.lt(0f);
            FloatVector signed = k.lanewise(VectorOperators.NEG, negative).add(0f);
            signed.blend(0f, v.test(VectorOperators.IS_NAN)).mul(unit).intoArray(out, off + j);
        }
        for (; j < n; j++) {
            out[off + j] = format.quantize(x[off + j], units[j]);
        }
    }
}
