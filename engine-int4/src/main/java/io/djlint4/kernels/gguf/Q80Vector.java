package io.djlint4.kernels.gguf;

import static io.djlint4.kernels.gguf.BlockLanes.F;
import static io.djlint4.kernels.gguf.BlockLanes.I;
import static io.djlint4.kernels.gguf.BlockLanes.L;

import io.djlint4.kernels.VectorLaneSum;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The Vector API products of {@link Q80Format}: the int8 codes widened to int lanes, L at a time.
 * Only loaded when {@link VectorPath#ENABLED} is true.
 */
final class Q80Vector {

    private static final int BLOCK = Q80Format.BLOCK_SIZE;
    private static final int SIZE = Q80Format.TYPE_SIZE;

    private Q80Vector() {}

    /** {@link Q80Format#dot}: per block Σ q·x in float lanes, then one FMA by d. */
    static float dot(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        if (BlockLanes.WIDE) {
            return dot16(w, wOff, x, xOff, blocks);
        }
        return L == 8 ? dot8(w, wOff, x, xOff, blocks) : dotAnyWidth(w, wOff, x, xOff, blocks);
    }

    /**
     * {@link Q80Format#dotRows} on the widest row-pair kernel the CPU has; only called when {@link
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

    /** {@link #dotRows16} at 8 lanes: two rows per pass, each block's codes as four loads of eight. */
    private static void dotRows8(
            byte[] w, int wOff, int rowBytes, float[] halves, int hOff, float[] x, int xOff, int blocks, float[] y,
            int yOff, int count) {
        // A pass's second row comes from the other half of the range: two streams far apart keep
        // more weight bytes in flight from memory than neighbouring rows (3x on a 145 MB classifier).
        int half = count / 2;
        for (int r = 0; r < half; r++) {
            int r1 = r + half;
            int p0 = wOff + r * rowBytes + 2;
            int p1 = wOff + r1 * rowBytes + 2;
            int h0 = hOff + r * blocks;
            int h1 = hOff + r1 * blocks;
            FloatVector acc0 = FloatVector.zero(F);
            FloatVector acc1 = FloatVector.zero(F);
            for (int b = 0; b < blocks; b++) {
                int xo = xOff + b * BLOCK;
                int o = b * SIZE;
                FloatVector x0 = FloatVector.fromArray(F, x, xo);
                FloatVector x1 = FloatVector.fromArray(F, x, xo + 8);
                FloatVector x2 = FloatVector.fromArray(F, x, xo + 16);
                FloatVector x3 = FloatVector.fromArray(F, x, xo + 24);
                FloatVector s = ((FloatVector) ByteVector.fromArray(BlockLanes.B, w, p0 + o).convertShape(VectorOperators.B2F, F, 0)).mul(x0);
                s = ((FloatVector) ByteVector.fromArray(BlockLanes.B, w, p0 + o + 8).convertShape(VectorOperators.B2F, F, 0)).fma(x1, s);
                s = ((FloatVector) ByteVector.fromArray(BlockLanes.B, w, p0 + o + 16).convertShape(VectorOperators.B2F, F, 0)).fma(x2, s);
                s = ((FloatVector) ByteVector.fromArray(BlockLanes.B, w, p0 + o + 24).convertShape(VectorOperators.B2F, F, 0)).fma(x3, s);
                acc0 = s.fma(FloatVector.broadcast(F, halves[h0 + b]), acc0);
                s = ((FloatVector) ByteVector.fromArray(BlockLanes.B, w, p1 + o).convertShape(VectorOperators.B2F, F, 0)).mul(x0);
                s = ((FloatVector) ByteVector.fromArray(BlockLanes.B, w, p1 + o + 8).convertShape(VectorOperators.B2F, F, 0)).fma(x1, s);
                s = ((FloatVector) ByteVector.fromArray(BlockLanes.B, w, p1 + o + 16).convertShape(VectorOperators.B2F, F, 0)).fma(x2, s);
                s = ((FloatVector) ByteVector.fromArray(BlockLanes.B, w, p1 + o + 24).convertShape(VectorOperators.B2F, F, 0)).fma(x3, s);
                acc1 = s.fma(FloatVector.broadcast(F, halves[h1 + b]), acc1);
            }
            y[yOff + r] = VectorLaneSum.sum(acc0);
            y[yOff + r1] = VectorLaneSum.sum(acc1);
        }
        if (2 * half < count) {
            int r = count - 1;
            y[yOff + r] = dot(w, wOff + r * rowBytes, x, xOff, blocks);
        }
    }

    /**
     * {@link Q80Format#dotRows} at 16 lanes: rows two at a time share the input's loads, and d
     * comes widened from {@code halves}.
     */
    private static void dotRows16(
            byte[] w, int wOff, int rowBytes, float[] halves, int hOff, float[] x, int xOff, int blocks, float[] y,
            int yOff, int count) {
        // A pass's second row comes from the other half of the range: two streams far apart keep
        // more weight bytes in flight from memory than neighbouring rows (3x on a 145 MB classifier).
        int half = count / 2;
        for (int r = 0; r < half; r++) {
            int r1 = r + half;
            int p0 = wOff + r * rowBytes + 2;
            int p1 = wOff + r1 * rowBytes + 2;
            int h0 = hOff + r * blocks;
            int h1 = hOff + r1 * blocks;
            FloatVector acc0 = FloatVector.zero(BlockLanes.F16);
            FloatVector acc1 = FloatVector.zero(BlockLanes.F16);
            for (int b = 0; b < blocks; b++) {
                int xo = xOff + b * BLOCK;
                int o = b * SIZE;
                FloatVector x0 = FloatVector.fromArray(BlockLanes.F16, x, xo);
                FloatVector x1 = FloatVector.fromArray(BlockLanes.F16, x, xo + 16);
                FloatVector s = ((FloatVector) ByteVector.fromArray(BlockLanes.B16, w, p0 + o)
                                .convertShape(VectorOperators.B2F, BlockLanes.F16, 0))
                        .mul(x0);
                s = ((FloatVector) ByteVector.fromArray(BlockLanes.B16, w, p0 + o + 16)
                                .convertShape(VectorOperators.B2F, BlockLanes.F16, 0))
                        .fma(x1, s);
                acc0 = s.fma(FloatVector.broadcast(BlockLanes.F16, halves[h0 + b]), acc0);
                FloatVector s1 = ((FloatVector) ByteVector.fromArray(BlockLanes.B16, w, p1 + o)
                                .convertShape(VectorOperators.B2F, BlockLanes.F16, 0))
                        .mul(x0);
                s1 = ((FloatVector) ByteVector.fromArray(BlockLanes.B16, w, p1 + o + 16)
                                .convertShape(VectorOperators.B2F, BlockLanes.F16, 0))
                        .fma(x1, s1);
                acc1 = s1.fma(FloatVector.broadcast(BlockLanes.F16, halves[h1 + b]), acc1);
            }
            y[yOff + r] = VectorLaneSum.sum(acc0);
            y[yOff + r1] = VectorLaneSum.sum(acc1);
        }
        if (2 * half < count) {
            int r = count - 1;
            y[yOff + r] = dot16(w, wOff + r * rowBytes, x, xOff, blocks);
        }
    }

    /**
     * {@link Q80Format#dotRows4} at 16 lanes: each weight row's block codes are widened once and
     * multiplied by four input rows, every row with the operations of {@link #dotRows16} (so the
     * same result bit for bit); only called when {@link BlockLanes#WIDE}.
     */
    static void dotRows4(
            byte[] w, int wOff, int rowBytes, float[] halves, int hOff, float[] x, int xOff, int xStride, int blocks,
            float[] y, int yOff, int yStride, int count) {
        int x1Off = xOff + xStride;
        int x2Off = x1Off + xStride;
        int x3Off = x2Off + xStride;
        for (int r = 0; r < count; r++) {
            int p = wOff + r * rowBytes + 2;
            int h = hOff + r * blocks;
            FloatVector acc0 = FloatVector.zero(BlockLanes.F16);
            FloatVector acc1 = acc0;
            FloatVector acc2 = acc0;
            FloatVector acc3 = acc0;
            for (int b = 0; b < blocks; b++) {
                int xo = b * BLOCK;
                int o = p + b * SIZE;
                FloatVector lo = (FloatVector) ByteVector.fromArray(BlockLanes.B16, w, o)
                        .convertShape(VectorOperators.B2F, BlockLanes.F16, 0);
                FloatVector hi = (FloatVector) ByteVector.fromArray(BlockLanes.B16, w, o + 16)
                        .convertShape(VectorOperators.B2F, BlockLanes.F16, 0);
                FloatVector d = FloatVector.broadcast(BlockLanes.F16, halves[h + b]);
                acc0 = hi.fma(FloatVector.fromArray(BlockLanes.F16, x, xOff + xo + 16),
                                lo.mul(FloatVector.fromArray(BlockLanes.F16, x, xOff + xo)))
                        .fma(d, acc0);
                acc1 = hi.fma(FloatVector.fromArray(BlockLanes.F16, x, x1Off + xo + 16),
                                lo.mul(FloatVector.fromArray(BlockLanes.F16, x, x1Off + xo)))
                        .fma(d, acc1);
                acc2 = hi.fma(FloatVector.fromArray(BlockLanes.F16, x, x2Off + xo + 16),
                                lo.mul(FloatVector.fromArray(BlockLanes.F16, x, x2Off + xo)))
                        .fma(d, acc2);
                acc3 = hi.fma(FloatVector.fromArray(BlockLanes.F16, x, x3Off + xo + 16),
                                lo.mul(FloatVector.fromArray(BlockLanes.F16, x, x3Off + xo)))
                        .fma(d, acc3);
            }
            y[yOff + r] = VectorLaneSum.sum(acc0);
            y[yOff + yStride + r] = VectorLaneSum.sum(acc1);
            y[yOff + 2 * yStride + r] = VectorLaneSum.sum(acc2);
            y[yOff + 3 * yStride + r] = VectorLaneSum.sum(acc3);
        }
    }

    /** {@link #dot} at 16 lanes: two halves of sixteen codes each. */
    private static float dot16(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        FloatVector acc = FloatVector.zero(BlockLanes.F16);
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * SIZE + 2;
            int xo = xOff + b * BLOCK;
            FloatVector s = ((FloatVector) ByteVector.fromArray(BlockLanes.B16, w, p)
                            .convertShape(VectorOperators.B2F, BlockLanes.F16, 0))
                    .mul(FloatVector.fromArray(BlockLanes.F16, x, xo));
            s = ((FloatVector) ByteVector.fromArray(BlockLanes.B16, w, p + 16)
                            .convertShape(VectorOperators.B2F, BlockLanes.F16, 0))
                    .fma(FloatVector.fromArray(BlockLanes.F16, x, xo + 16), s);
            acc = s.fma(FloatVector.broadcast(BlockLanes.F16, BlockBytes.half(w, p - 2)), acc);
        }
        return VectorLaneSum.sum(acc);
    }

    /** {@link #dot} at 8 lanes, as {@link Q41Vector#dot8}: every vector operation written here. */
    private static float dot8(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * SIZE + 2;
            int xo = xOff + b * BLOCK;
            FloatVector s = ((FloatVector) ByteVector.fromArray(BlockLanes.B, w, p).convertShape(VectorOperators.B2F, F, 0))
                    .mul(FloatVector.fromArray(F, x, xo));
            s = ((FloatVector) ByteVector.fromArray(BlockLanes.B, w, p + 8).convertShape(VectorOperators.B2F, F, 0))
                    .fma(FloatVector.fromArray(F, x, xo + 8), s);
            s = ((FloatVector) ByteVector.fromArray(BlockLanes.B, w, p + 16).convertShape(VectorOperators.B2F, F, 0))
                    .fma(FloatVector.fromArray(F, x, xo + 16), s);
            s = ((FloatVector) ByteVector.fromArray(BlockLanes.B, w, p + 24).convertShape(VectorOperators.B2F, F, 0))
                    .fma(FloatVector.fromArray(F, x, xo + 24), s);
            acc = s.fma(FloatVector.broadcast(F, BlockBytes.half(w, wOff + b * SIZE)), acc);
        }
        return VectorLaneSum.sum(acc);
    }

    private static float dotAnyWidth(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * SIZE;
            int xo = xOff + b * BLOCK;
            FloatVector s = FloatVector.zero(F);
            for (int c = 0; c < BLOCK; c += L) {
                s = BlockLanes.floats(BlockLanes.ints(w, p + 2 + c)).fma(FloatVector.fromArray(F, x, xo + c), s);
            }
            acc = s.fma(FloatVector.broadcast(F, BlockBytes.half(w, p)), acc);
        }
        return VectorLaneSum.sum(acc);
    }

    /** {@link Q80Format#dotQ8}: per block Σ q·a in int lanes, scaled by d·d_a in float. */
    static float dotQ8(byte[] w, int wOff, Q8Activations a, int aOff, int blocks) {
        byte[] codes = a.codes();
        float[] scales = a.scales();
        int first = aOff / Q8Activations.BLOCK;
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * SIZE;
            int ao = aOff + b * BLOCK;
            IntVector s = IntVector.zero(I);
            for (int c = 0; c < BLOCK; c += L) {
                s = s.add(BlockLanes.ints(w, p + 2 + c).mul(BlockLanes.ints(codes, ao + c)));
            }
            float scale = BlockBytes.half(w, p) * scales[first + b];
            acc = BlockLanes.floats(s).fma(FloatVector.broadcast(F, scale), acc);
        }
        return VectorLaneSum.sum(acc);
    }

    /** {@link Q80Format#expand}: {@code q·d} eight lanes at a time, as the scalar reference rounds it. */
    static void expand(byte[] w, int wOff, float[] dst, int dstOff, int blocks) {
        if (BlockLanes.WIDE) {
            for (int b = 0; b < blocks; b++) {
                int p = wOff + b * SIZE;
                int o = dstOff + b * BLOCK;
                FloatVector d = FloatVector.broadcast(BlockLanes.F16, BlockBytes.half(w, p));
                ((FloatVector) ByteVector.fromArray(BlockLanes.B16, w, p + 2)
                                .convertShape(VectorOperators.B2F, BlockLanes.F16, 0))
                        .mul(d)
                        .intoArray(dst, o);
                ((FloatVector) ByteVector.fromArray(BlockLanes.B16, w, p + 18)
                                .convertShape(VectorOperators.B2F, BlockLanes.F16, 0))
                        .mul(d)
                        .intoArray(dst, o + 16);
            }
            return;
        }
        if (L != 8) {
            Q80Format.INSTANCE.dequantize(w, wOff, dst, dstOff, blocks);
            return;
        }
        for (int b = 0; b < blocks; b++) {
            int p = wOff + b * SIZE + 2;
            int o = dstOff + b * BLOCK;
            FloatVector d = FloatVector.broadcast(F, BlockBytes.half(w, p - 2));
            for (int c = 0; c < BLOCK; c += 8) {
                ((FloatVector) ByteVector.fromArray(BlockLanes.B, w, p + c).convertShape(VectorOperators.B2F, F, 0))
                        .mul(d)
                        .intoArray(dst, o + c);
            }
        }
    }
}
