package io.djlint4.kernels.gguf;

import static io.djlint4.kernels.gguf.BlockLanes.F;
import static io.djlint4.kernels.gguf.BlockLanes.I;
import static io.djlint4.kernels.gguf.BlockLanes.L;
import static io.djlint4.kernels.gguf.BlockLanes.highNibbles;
import static io.djlint4.kernels.gguf.BlockLanes.lowNibbles;

import io.djlint4.kernels.VectorLaneSum;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The Vector API products of {@link Q41Format}, laid out as {@link Q40Vector}; the minimum {@code
 * m} multiplies the block's Σ x (or Σ a). Only loaded when {@link VectorPath#ENABLED} is true.
 */
final class Q41Vector {

    private static final int BLOCK = Q41Format.BLOCK_SIZE;
    private static final int SIZE = Q41Format.TYPE_SIZE;

    private Q41Vector() {}

    /** {@link Q41Format#dot}: Σ q·x and Σ x per block in float lanes, scaled by d and m. */
    static float dot(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        if (BlockLanes.WIDE) {
            return dot16(w, wOff, x, xOff, blocks);
        }
        return L == 8 ? dot8(w, wOff, x, xOff, blocks) : dotAnyWidth(w, wOff, x, xOff, blocks);
    }

    /**
     * {@link Q41Format#dotRows} on the widest row-pair kernel the CPU has; only called when {@link
     * VectorPath#ROW_PAIRS}.
     */
    static void dotRows(
            byte[] w, int wOff, int rowBytes, float[] halves, int hOff, float[] x, int xOff, int blocks, float[] y,
            int yOff, int count) {
        if (BlockLanes.WIDE) {
            dotRows16(w, wOff, rowBytes, halves, hOff, x, xOff, blocks, y, yOff, count);
        } else {
            dotRows8(w, wOff, rowBytes, halves, hOff, x, xOff, blocks, y, yOff, count);
        }
    }

    /** {@link #dotRows16} at 8 lanes: two rows per pass, each block's codes as two loads of eight. */
    private static void dotRows8(
            byte[] w, int wOff, int rowBytes, float[] halves, int hOff, float[] x, int xOff, int blocks, float[] y,
            int yOff, int count) {
        // A pass's second row comes from the other half of the range: two streams far apart keep
        // more weight bytes in flight from memory than neighbouring rows (3x on a 145 MB classifier).
        int half = count / 2;
        for (int r = 0; r < half; r++) {
            int r1 = r + half;
            int p0 = wOff + r * rowBytes;
            int p1 = wOff + r1 * rowBytes;
            int h0 = hOff + r * 2 * blocks;
            int h1 = hOff + r1 * 2 * blocks;
            FloatVector accD0 = FloatVector.zero(F);
            FloatVector accM0 = FloatVector.zero(F);
            FloatVector accD1 = FloatVector.zero(F);
            FloatVector accM1 = FloatVector.zero(F);
            for (int b = 0; b < blocks; b++) {
                int xo = xOff + b * BLOCK;
                FloatVector x0 = FloatVector.fromArray(F, x, xo);
                FloatVector x1 = FloatVector.fromArray(F, x, xo + 8);
                FloatVector x2 = FloatVector.fromArray(F, x, xo + 16);
                FloatVector x3 = FloatVector.fromArray(F, x, xo + 24);
                FloatVector xs = x0.add(x1).add(x2.add(x3));
                int o = b * SIZE + 4;
                IntVector a = (IntVector) ByteVector.fromArray(BlockLanes.B, w, p0 + o).convertShape(VectorOperators.B2I, I, 0);
                IntVector c = (IntVector) ByteVector.fromArray(BlockLanes.B, w, p0 + o + 8).convertShape(VectorOperators.B2I, I, 0);
                FloatVector s = ((FloatVector) a.and(0xF).convert(VectorOperators.I2F, 0)).mul(x0);
                s = ((FloatVector) c.and(0xF).convert(VectorOperators.I2F, 0)).fma(x1, s);
                s = ((FloatVector) a.lanewise(VectorOperators.LSHR, 4).and(0xF).convert(VectorOperators.I2F, 0)).fma(x2, s);
                s = ((FloatVector) c.lanewise(VectorOperators.LSHR, 4).and(0xF).convert(VectorOperators.I2F, 0)).fma(x3, s);
                accD0 = s.fma(FloatVector.broadcast(F, halves[h0 + 2 * b]), accD0);
                accM0 = xs.fma(FloatVector.broadcast(F, halves[h0 + 2 * b + 1]), accM0);
                a = (IntVector) ByteVector.fromArray(BlockLanes.B, w, p1 + o).convertShape(VectorOperators.B2I, I, 0);
                c = (IntVector) ByteVector.fromArray(BlockLanes.B, w, p1 + o + 8).convertShape(VectorOperators.B2I, I, 0);
                s = ((FloatVector) a.and(0xF).convert(VectorOperators.I2F, 0)).mul(x0);
                s = ((FloatVector) c.and(0xF).convert(VectorOperators.I2F, 0)).fma(x1, s);
                s = ((FloatVector) a.lanewise(VectorOperators.LSHR, 4).and(0xF).convert(VectorOperators.I2F, 0)).fma(x2, s);
                s = ((FloatVector) c.lanewise(VectorOperators.LSHR, 4).and(0xF).convert(VectorOperators.I2F, 0)).fma(x3, s);
                accD1 = s.fma(FloatVector.broadcast(F, halves[h1 + 2 * b]), accD1);
                accM1 = xs.fma(FloatVector.broadcast(F, halves[h1 + 2 * b + 1]), accM1);
            }
            y[yOff + r] = VectorLaneSum.sum(accD0.add(accM0));
            y[yOff + r1] = VectorLaneSum.sum(accD1.add(accM1));
        }
        if (2 * half < count) {
            int r = count - 1;
            y[yOff + r] = dot(w, wOff + r * rowBytes, x, xOff, blocks);
        }
    }

    /**
     * {@link Q41Format#dotRows} at 16 lanes: rows two at a time share the input's loads and
     * block sums, and d and m come widened from {@code halves} (two per block).
     */
    private static void dotRows16(
            byte[] w, int wOff, int rowBytes, float[] halves, int hOff, float[] x, int xOff, int blocks, float[] y,
            int yOff, int count) {
        // A pass's second row comes from the other half of the range: two streams far apart keep
        // more weight bytes in flight from memory than neighbouring rows (3x on a 145 MB classifier).
        int half = count / 2;
        for (int r = 0; r < half; r++) {
            int r1 = r + half;
            int p0 = wOff + r * rowBytes;
            int p1 = wOff + r1 * rowBytes;
            int h0 = hOff + r * 2 * blocks;
            int h1 = hOff + r1 * 2 * blocks;
            FloatVector accD0 = FloatVector.zero(BlockLanes.F16);
            FloatVector accM0 = FloatVector.zero(BlockLanes.F16);
            FloatVector accD1 = FloatVector.zero(BlockLanes.F16);
            FloatVector accM1 = FloatVector.zero(BlockLanes.F16);
            for (int b = 0; b < blocks; b++) {
                int xo = xOff + b * BLOCK;
                FloatVector x0 = FloatVector.fromArray(BlockLanes.F16, x, xo);
                FloatVector x1 = FloatVector.fromArray(BlockLanes.F16, x, xo + 16);
                FloatVector xs = x0.add(x1);
                IntVector q = (IntVector) ByteVector.fromArray(BlockLanes.B16, w, p0 + b * SIZE + 4)
                        .convertShape(VectorOperators.B2I, BlockLanes.I16, 0);
                FloatVector s = ((FloatVector) q.and(0xF).convert(VectorOperators.I2F, 0)).mul(x0);
                s = ((FloatVector) q.lanewise(VectorOperators.LSHR, 4).and(0xF).convert(VectorOperators.I2F, 0))
                        .fma(x1, s);
                accD0 = s.fma(FloatVector.broadcast(BlockLanes.F16, halves[h0 + 2 * b]), accD0);
                accM0 = xs.fma(FloatVector.broadcast(BlockLanes.F16, halves[h0 + 2 * b + 1]), accM0);
                IntVector q1 = (IntVector) ByteVector.fromArray(BlockLanes.B16, w, p1 + b * SIZE + 4)
                        .convertShape(VectorOperators.B2I, BlockLanes.I16, 0);
                FloatVector s1 = ((FloatVector) q1.and(0xF).convert(VectorOperators.I2F, 0)).mul(x0);
                s1 = ((FloatVector) q1.lanewise(VectorOperators.LSHR, 4).and(0xF).convert(VectorOperators.I2F, 0))
                        .fma(x1, s1);
                accD1 = s1.fma(FloatVector.broadcast(BlockLanes.F16, halves[h1 + 2 * b]), accD1);
                accM1 = xs.fma(FloatVector.broadcast(BlockLanes.F16, halves[h1 + 2 * b + 1]), accM1);
            }
            y[yOff + r] = VectorLaneSum.sum(accD0.add(accM0));
            y[yOff + r1] = VectorLaneSum.sum(accD1.add(accM1));
        }
        if (2 * half < count) {
            int r = count - 1;
            y[yOff + r] = dot16(w, wOff + r * rowBytes, x, xOff, blocks);
        }
    }

    /**
     * {@link Q41Format#dotRows4} at 16 lanes: each weight row's block codes are widened and converted
     * once and multiplied by four input rows, every row with the operations of {@link #dotRows16}
     * (so the same result bit for bit); only called when {@link BlockLanes#WIDE}.
     */
    static void dotRows4(
            byte[] w, int wOff, int rowBytes, float[] halves, int hOff, float[] x, int xOff, int xStride, int blocks,
            float[] y, int yOff, int yStride, int count) {
        int x1Off = xOff + xStride;
        int x2Off = x1Off + xStride;
        int x3Off = x2Off + xStride;
        for (int r = 0; r < count; r++) {
            int p = wOff + r * rowBytes;
            int h = hOff + r * 2 * blocks;
            FloatVector d0 = FloatVector.zero(BlockLanes.F16);
            FloatVector m0 = d0;
            FloatVector d1 = d0;
            FloatVector m1 = d0;
            FloatVector d2 = d0;
            FloatVector m2 = d0;
            FloatVector d3 = d0;
            FloatVector m3 = d0;
            for (int b = 0; b < blocks; b++) {
                int xo = b * BLOCK;
                IntVector q = (IntVector) ByteVector.fromArray(BlockLanes.B16, w, p + b * SIZE + 4)
                        .convertShape(VectorOperators.B2I, BlockLanes.I16, 0);
                FloatVector lo = (FloatVector) q.and(0xF).convert(VectorOperators.I2F, 0);
                FloatVector hi = (FloatVector) q.lanewise(VectorOperators.LSHR, 4).and(0xF).convert(VectorOperators.I2F, 0);
                FloatVector d = FloatVector.broadcast(BlockLanes.F16, halves[h + 2 * b]);
                FloatVector m = FloatVector.broadcast(BlockLanes.F16, halves[h + 2 * b + 1]);
                FloatVector a0 = FloatVector.fromArray(BlockLanes.F16, x, xOff + xo);
                FloatVector a1 = FloatVector.fromArray(BlockLanes.F16, x, xOff + xo + 16);
                d0 = hi.fma(a1, lo.mul(a0)).fma(d, d0);
                m0 = a0.add(a1).fma(m, m0);
                a0 = FloatVector.fromArray(BlockLanes.F16, x, x1Off + xo);
                a1 = FloatVector.fromArray(BlockLanes.F16, x, x1Off + xo + 16);
                d1 = hi.fma(a1, lo.mul(a0)).fma(d, d1);
                m1 = a0.add(a1).fma(m, m1);
                a0 = FloatVector.fromArray(BlockLanes.F16, x, x2Off + xo);
                a1 = FloatVector.fromArray(BlockLanes.F16, x, x2Off + xo + 16);
                d2 = hi.fma(a1, lo.mul(a0)).fma(d, d2);
                m2 = a0.add(a1).fma(m, m2);
                a0 = FloatVector.fromArray(BlockLanes.F16, x, x3Off + xo);
                a1 = FloatVector.fromArray(BlockLanes.F16, x, x3Off + xo + 16);
                d3 = hi.fma(a1, lo.mul(a0)).fma(d, d3);
                m3 = a0.add(a1).fma(m, m3);
            }
            y[yOff + r] = VectorLaneSum.sum(d0.add(m0));
            y[yOff + yStride + r] = VectorLaneSum.sum(d1.add(m1));
            y[yOff + 2 * yStride + r] = VectorLaneSum.sum(d2.add(m2));
            y[yOff + 3 * yStride + r] = VectorLaneSum.sum(d3.add(m3));
        }
    }

    /** {@link #dot} at 16 lanes, as {@link #dot8}: the code bytes widened once, each nibble one vector. */
    private static float dot16(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        FloatVector accD = FloatVector.zero(BlockLanes.F16);
        FloatVector accM = FloatVector.zero(BlockLanes.F16);
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * SIZE;
            int xo = xOff + b * BLOCK;
            IntVector q = (IntVector) ByteVector.fromArray(BlockLanes.B16, w, p + 4)
                    .convertShape(VectorOperators.B2I, BlockLanes.I16, 0);
            FloatVector x0 = FloatVector.fromArray(BlockLanes.F16, x, xo);
            FloatVector x1 = FloatVector.fromArray(BlockLanes.F16, x, xo + 16);
            FloatVector s = ((FloatVector) q.and(0xF).convert(VectorOperators.I2F, 0)).mul(x0);
            s = ((FloatVector) q.lanewise(VectorOperators.LSHR, 4).and(0xF).convert(VectorOperators.I2F, 0)).fma(x1, s);
            accD = s.fma(FloatVector.broadcast(BlockLanes.F16, BlockBytes.half(w, p)), accD);
            accM = x0.add(x1).fma(FloatVector.broadcast(BlockLanes.F16, BlockBytes.half(w, p + 2)), accM);
        }
        return VectorLaneSum.sum(accD.add(accM));
    }

    /**
     * {@link #dot} at 8 lanes, each block spelt out with every vector operation written here
     * rather than in helpers: JDK 17's C2 left the helpers' conversions uninlined (boxed, 4-5x
     * slower) depending on what it had compiled first, e.g. after a prompt had run {@link #expand}.
     */
    static float dot8(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        FloatVector accD = FloatVector.zero(F);
        FloatVector accM = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * SIZE;
            int xo = xOff + b * BLOCK;
            IntVector q0 = (IntVector) ByteVector.fromArray(BlockLanes.B, w, p + 4).convertShape(VectorOperators.B2I, I, 0);
            IntVector q1 = (IntVector) ByteVector.fromArray(BlockLanes.B, w, p + 12).convertShape(VectorOperators.B2I, I, 0);
            FloatVector x0 = FloatVector.fromArray(F, x, xo);
            FloatVector x1 = FloatVector.fromArray(F, x, xo + 8);
            FloatVector x2 = FloatVector.fromArray(F, x, xo + 16);
            FloatVector x3 = FloatVector.fromArray(F, x, xo + 24);
            FloatVector s = ((FloatVector) q0.and(0xF).convert(VectorOperators.I2F, 0)).mul(x0);
            s = ((FloatVector) q1.and(0xF).convert(VectorOperators.I2F, 0)).fma(x1, s);
            s = ((FloatVector) q0.lanewise(VectorOperators.LSHR, 4).and(0xF).convert(VectorOperators.I2F, 0)).fma(x2, s);
            s = ((FloatVector) q1.lanewise(VectorOperators.LSHR, 4).and(0xF).convert(VectorOperators.I2F, 0)).fma(x3, s);
            accD = s.fma(FloatVector.broadcast(F, BlockBytes.half(w, p)), accD);
            accM = x0.add(x1).add(x2.add(x3)).fma(FloatVector.broadcast(F, BlockBytes.half(w, p + 2)), accM);
        }
        return VectorLaneSum.sum(accD.add(accM));
    }

    private static float dotAnyWidth(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        // Separate accumulators for the d and m terms keep the two FMAs per block independent.
        FloatVector accD = FloatVector.zero(F);
        FloatVector accM = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * SIZE;
            int xo = xOff + b * BLOCK;
            FloatVector s = FloatVector.zero(F);
            FloatVector sx = FloatVector.zero(F);
            for (int c = 0; c < 16; c += L) {
                IntVector q = BlockLanes.ints(w, p + 4 + c);
                FloatVector xlo = FloatVector.fromArray(F, x, xo + c);
                FloatVector xhi = FloatVector.fromArray(F, x, xo + 16 + c);
                s = BlockLanes.floats(lowNibbles(q)).fma(xlo, s);
                s = BlockLanes.floats(highNibbles(q)).fma(xhi, s);
                sx = sx.add(xlo).add(xhi);
            }
            accD = s.fma(FloatVector.broadcast(F, BlockBytes.half(w, p)), accD);
            accM = sx.fma(FloatVector.broadcast(F, BlockBytes.half(w, p + 2)), accM);
        }
        return VectorLaneSum.sum(accD.add(accM));
    }

    /** {@link Q41Format#dotQ8}: Σ q·a per block in int lanes, the minimum's term in scalar. */
    static float dotQ8(byte[] w, int wOff, Q8Activations a, int aOff, int blocks) {
        byte[] codes = a.codes();
        float[] scales = a.scales();
        int[] sums = a.sums();
        int first = aOff / Q8Activations.BLOCK;
        FloatVector acc = FloatVector.zero(F);
        float mins = 0f;
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * SIZE;
            int ao = aOff + b * BLOCK;
            IntVector s = IntVector.zero(I);
            for (int c = 0; c < 16; c += L) {
                IntVector q = BlockLanes.ints(w, p + 4 + c);
                IntVector lo = lowNibbles(q);
                IntVector hi = highNibbles(q);
                s = s.add(lo.mul(BlockLanes.ints(codes, ao + c))).add(hi.mul(BlockLanes.ints(codes, ao + 16 + c)));
            }
            float da = scales[first + b];
            acc = BlockLanes.floats(s).fma(FloatVector.broadcast(F, BlockBytes.half(w, p) * da), acc);
            mins += BlockBytes.half(w, p + 2) * da * sums[first + b];
        }
        return VectorLaneSum.sum(acc) + mins;
    }

    /** {@link Q41Format#expand}: {@code q·d + m} eight lanes at a time, as the scalar reference rounds it. */
    static void expand(byte[] w, int wOff, float[] dst, int dstOff, int blocks) {
        if (BlockLanes.WIDE) {
            for (int b = 0; b < blocks; b++) {
                int p = wOff + b * SIZE;
                int o = dstOff + b * BLOCK;
                FloatVector d = FloatVector.broadcast(BlockLanes.F16, BlockBytes.half(w, p));
                FloatVector m = FloatVector.broadcast(BlockLanes.F16, BlockBytes.half(w, p + 2));
                IntVector q = (IntVector) ByteVector.fromArray(BlockLanes.B16, w, p + 4)
                        .convertShape(VectorOperators.B2I, BlockLanes.I16, 0);
                ((FloatVector) q.and(0xF).convert(VectorOperators.I2F, 0)).mul(d).add(m).intoArray(dst, o);
                ((FloatVector) q.lanewise(VectorOperators.LSHR, 4).and(0xF).convert(VectorOperators.I2F, 0))
                        .mul(d)
                        .add(m)
                        .intoArray(dst, o + 16);
            }
            return;
        }
        if (L != 8) {
            Q41Format.INSTANCE.dequantize(w, wOff, dst, dstOff, blocks);
            return;
        }
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * SIZE;
            int o = dstOff + b * BLOCK;
            FloatVector d = FloatVector.broadcast(F, BlockBytes.half(w, p));
            FloatVector m = FloatVector.broadcast(F, BlockBytes.half(w, p + 2));
            IntVector q0 = (IntVector) ByteVector.fromArray(BlockLanes.B, w, p + 4).convertShape(VectorOperators.B2I, I, 0);
            IntVector q1 = (IntVector) ByteVector.fromArray(BlockLanes.B, w, p + 12).convertShape(VectorOperators.B2I, I, 0);
            ((FloatVector) q0.and(0xF).convert(VectorOperators.I2F, 0)).mul(d).add(m).intoArray(dst, o);
            ((FloatVector) q1.and(0xF).convert(VectorOperators.I2F, 0)).mul(d).add(m).intoArray(dst, o + 8);
            ((FloatVector) q0.lanewise(VectorOperators.LSHR, 4).and(0xF).convert(VectorOperators.I2F, 0))
                    .mul(d)
                    .add(m)
                    .intoArray(dst, o + 16);
            ((FloatVector) q1.lanewise(VectorOperators.LSHR, 4).and(0xF).convert(VectorOperators.I2F, 0))
                    .mul(d)
                    .add(m)
                    .intoArray(dst, o + 24);
        }
    }
}
