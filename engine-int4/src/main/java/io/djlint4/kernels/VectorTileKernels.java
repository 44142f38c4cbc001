package io.djlint4.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link TileKernels} with the Vector API at the widest species the CPU offers. A tile is two
 * vectors wide, so every loop keeps two accumulators per activation row (two pairs in the GEMV
 * kernels so consecutive FMAs do not wait on each other). INT4 nibbles are decoded in place with
 * one AND and one conversion (layout in {@link NibbleTiles}).
 *
 * <p>Loops are deliberately compact rather than hand-unrolled: C2 stops inlining Vector API calls
 * once a method's inlined bytecode grows past its budget, and every call left out boxes its
 * vectors on the heap; C2 unrolls the compact loops itself.
 *
 * <p>Only loaded when {@link VectorSupport#isAvailable()} is true.
 */
final class VectorTileKernels implements TileKernels {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Short> S = VectorSpecies.of(short.class, I.vectorShape());
    private static final int L = F.length();

    /**
     * Per 16-bit lane of a word: the low half keeps the top field's nibble unsigned, the high half
     * (columns 4..7, top field = column 7) keeps it sign-extended, as {@link NibbleTiles} stores it.
     */
    private static final ShortVector TOP_FIELD_MASK = topFieldMask();

    private static ShortVector topFieldMask() {
        short[] m = new short[S.length()];
        for (int i = 0; i < m.length; i++) {
            m[i] = (short) (i % 2 == 0 ? 0xF : 0xFFFF);
        }
        return ShortVector.fromArray(S, m, 0);
    }

    /** Rows per tile: two float vectors. */
    static final int WIDTH = 2 * L;

    /** Activation rows {@link #multiply} keeps in registers: 12 accumulators of 16 registers. */
    private static final int MR = 6;

    /**
     * Whether the GEMM micro-kernel reads packed token panels. Measured at 4096×4096, n = 128, 2
     * threads: C2 of JDK 17 runs the panel kernel 1.8× faster than the row-major one (98 vs 55
     * GFLOPS), C2 of JDK 25 the row-major one 1.7× faster (114 vs 68 GFLOPS). Releases in between
     * were not measured and get the row-major kernel.
     */
    private static final boolean PANELS = Runtime.version().feature() < 18;

    @Override
    public int tileWidth() {
        return WIDTH;
    }

    @Override
    public int tokenBlock() {
        return MR;
    }

    @Override
    public boolean tokenPanels() {
        return PANELS;
    }

    /** {@code 16^−j}: the factor that turns a nibble masked in place back into its value. */
    private static final float[] NIBBLE_SCALE = new float[8];

    static {
        for (int j = 0; j < 8; j++) {
            NIBBLE_SCALE[j] = Math.scalb(1f, -4 * j);
        }
    }

    private static FloatVector toFloat(IntVector v) {
        return (FloatVector) v.convert(VectorOperators.I2F, 0);
    }

    /** Nibble j of each lane times {@code 16^j} (signed for j = 7), as floats. */
    private static FloatVector masked(IntVector w, int j) {
        return toFloat(w.lanewise(VectorOperators.AND, 0xF << (4 * j)));
    }

    /** {@code 2^126}: lifts the float built from an FP4 code's bits out of the subnormal range. */
    private static final float TWO_126 = Math.scalb(1f, 126);

    /**
     * FP4 code j of each lane as {@code k(code)·2^−m} (§5.2 integer view). The code's exponent and
     * mantissa bits, placed at the top of a float's exponent/mantissa boundary, form a float whose
     * subnormal/normal split mirrors the FP4 format's: its value is {@code k·2^−(126+m)} for every
     * format, so one multiply by {@code 2^126} gives an exact {@code k·2^−m}; callers fold {@code
     * 2^m} into the other factor. A handful of shifts and logic ops and no lane-wise table, so C2
     * (JDK 17, AVX2) keeps the vectors in registers.
     */
    private static FloatVector fp4(IntVector w, int j, int m) {
        IntVector c = w.lanewise(VectorOperators.LSHR, 4 * j);
        return c.lanewise(VectorOperators.AND, 7)
                .lanewise(VectorOperators.LSHL, 23 - m)
                .lanewise(
                        VectorOperators.OR,
                        c.lanewise(VectorOperators.LSHL, 28).lanewise(VectorOperators.AND, 0x80000000))
                .reinterpretAsFloats()
                .mul(TWO_126);
    }

    @Override
    public void decodeInt4(
            int[] words,
            int base,
            int kLen,
            boolean signed,
            float[] zeros,
            float[] scales,
            int pOff,
            float[] tile,
            int tileOff) {
        FloatVector z0 = zeros == null ? FloatVector.zero(F) : FloatVector.fromArray(F, zeros, pOff);
        FloatVector z1 = zeros == null ? z0 : FloatVector.fromArray(F, zeros, pOff + L);
        FloatVector s0 = scales == null ? FloatVector.broadcast(F, 1f) : FloatVector.fromArray(F, scales, pOff);
        FloatVector s1 = scales == null ? s0 : FloatVector.fromArray(F, scales, pOff + L);
        for (int c = 0, k = 0; k < kLen; c++) {
            IntVector w0 = IntVector.fromArray(I, words, base + c * WIDTH);
            IntVector w1 = IntVector.fromArray(I, words, base + c * WIDTH + L);
            int jEnd = Math.min(8, kLen - k);
            for (int j = 0; j < jEnd; j++, k++) {
                int t = tileOff + k * WIDTH;
                float f = NIBBLE_SCALE[j];
                float bias = NibbleTiles.int4Bias(j, signed);
                masked(w0, j).fma(f, bias).sub(z0).mul(s0).intoArray(tile, t);
                masked(w1, j).fma(f, bias).sub(z1).mul(s1).intoArray(tile, t + L);
            }
        }
    }

    @Override
    public void decodeInt4Columns(
            int[] words, int base, int kLen, boolean signed, float[] zeros, float[] scales, int pOff,
            float[] tile) {
        for (int c = 0, k = 0; k < kLen; c++) {
            IntVector w0 = IntVector.fromArray(I, words, base + c * WIDTH);
            IntVector w1 = IntVector.fromArray(I, words, base + c * WIDTH + L);
            int jEnd = Math.min(8, kLen - k);
            for (int j = 0; j < jEnd; j++, k++) {
                float z = zeros == null ? 0f : zeros[pOff + k];
                float s = scales[pOff + k];
                float f = NIBBLE_SCALE[j];
                float bias = NibbleTiles.int4Bias(j, signed) - z;
                int t = k * WIDTH;
                masked(w0, j).fma(f, bias).mul(s).intoArray(tile, t);
                masked(w1, j).fma(f, bias).mul(s).intoArray(tile, t + L);
            }
        }
    }

    @Override
    public void decodeFp4(
            int[] words, int base, int kLen, Fp4Format format, float[] factors, int fOff, float[] tile) {
        int m = format.mantissaBits();
        float lift = 1 << m;
        for (int c = 0, k = 0; k < kLen; c++) {
            IntVector w0 = IntVector.fromArray(I, words, base + c * WIDTH);
            IntVector w1 = IntVector.fromArray(I, words, base + c * WIDTH + L);
            int jEnd = Math.min(8, kLen - k);
            for (int j = 0; j < jEnd; j++, k++) {
                float f = factors[fOff + k] * lift;
                int t = k * WIDTH;
                fp4(w0, j, m).mul(f).intoArray(tile, t);
                fp4(w1, j, m).mul(f).intoArray(tile, t + L);
            }
        }
    }

    @Override
    public void dotInt4(int[] words, int base, int kLen, float[] xs, int xOff, float[] part) {
        // Four accumulator pairs: each FMA chain sees two of a chunk's eight columns, so the FMA
        // latency is hidden behind independent chains.
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector c0 = a0;
        FloatVector c1 = a0;
        FloatVector d0 = a0;
        FloatVector d1 = a0;
        int full = kLen / 8;
        for (int c = 0; c < full; c++) {
            int w = base + c * WIDTH;
            int i = xOff + 8 * c;
            IntVector w0 = IntVector.fromArray(I, words, w);
            IntVector w1 = IntVector.fromArray(I, words, w + L);
            for (int j = 0; j < 8; j += 4) {
                FloatVector v = FloatVector.broadcast(F, xs[i + j]);
                a0 = masked(w0, j).fma(v, a0);
                a1 = masked(w1, j).fma(v, a1);
                v = FloatVector.broadcast(F, xs[i + j + 1]);
                b0 = masked(w0, j + 1).fma(v, b0);
                b1 = masked(w1, j + 1).fma(v, b1);
                v = FloatVector.broadcast(F, xs[i + j + 2]);
                c0 = masked(w0, j + 2).fma(v, c0);
                c1 = masked(w1, j + 2).fma(v, c1);
                v = FloatVector.broadcast(F, xs[i + j + 3]);
                d0 = masked(w0, j + 3).fma(v, d0);
                d1 = masked(w1, j + 3).fma(v, d1);
            }
        }
        int rest = kLen - 8 * full;
        if (rest > 0) {
            int w = base + full * WIDTH;
            IntVector w0 = IntVector.fromArray(I, words, w);
            IntVector w1 = IntVector.fromArray(I, words, w + L);
            for (int j = 0; j < rest; j++) {
                FloatVector v = FloatVector.broadcast(F, xs[xOff + 8 * full + j]);
                a0 = masked(w0, j).fma(v, a0);
                a1 = masked(w1, j).fma(v, a1);
            }
        }
        a0.add(b0).add(c0.add(d0)).intoArray(part, 0);
        a1.add(b1).add(c1.add(d1)).intoArray(part, L);
    }

    @Override
    public void int4CodeTile(
            int[] words,
            int base,
            int chunks,
            int chunksPerGroup,
            int[] pairs,
            int stride,
            int sumsOff,
            int rows,
            float[] scales,
            int[] zeros,
            float[] scaledZeros,
            int sOff,
            int[] weightSums,
            int[] tokenZeros,
            int[] sums,
            float[] acc) {
        int groups = (chunks + chunksPerGroup - 1) / chunksPerGroup;
        for (int t = 0; t < rows; t++) {
            int biasSums = sumsOff + t * groups;
            int codeSums = sumsOff + (rows + t) * groups;
            for (int grp = 0; grp < groups; grp++) {
                int c0 = grp * chunksPerGroup;
                int n = Math.min(chunks, c0 + chunksPerGroup) - c0;
                int p = sOff + grp * WIDTH;
                IntVector start = IntVector.broadcast(I, pairs[biasSums + grp]);
                for (int h = 0; h < WIDTH; h += L) {
                    IntVector v = zeros == null
                            ? start
                            : start.sub(IntVector.fromArray(I, zeros, p + h).mul(pairs[codeSums + grp]));
                    if (tokenZeros != null) {
                        v = v.sub(IntVector.fromArray(I, weightSums, p + h).mul(tokenZeros[t]));
                    }
                    v.intoArray(sums, h);
                }
                for (int h = 0; h < WIDTH; h += L) {
                    codeDot(words, base + c0 * WIDTH + h, n, pairs, t * stride + 4 * c0, sums, h);
                }
                float minusCodeSum = -pairs[codeSums + grp];
                for (int h = 0; h < WIDTH; h += L) {
                    int a = t * WIDTH + h;
                    FloatVector previous = grp == 0 ? FloatVector.zero(F) : FloatVector.fromArray(F, acc, a);
                    FloatVector r = toFloat(IntVector.fromArray(I, sums, h))
                            .fma(FloatVector.fromArray(F, scales, p + h), previous);
                    if (scaledZeros != null) {
                        r = FloatVector.fromArray(F, scaledZeros, p + h)
                                .fma(FloatVector.broadcast(F, minusCodeSum), r);
                    }
                    r.intoArray(acc, a);
                }
            }
        }
    }

    /**
     * Adds one group's exact sums {@code Σ v·q} of stored nibbles times codes for the {@code L}
     * rows of one vector to {@code sums[sOff .. sOff + L)}.
     *
     * <p>Each 32-bit word, read as two 16-bit lanes, holds four columns per lane; one shift and one
     * AND isolate column j of both lanes, which a 16-bit multiply by the broadcast pair (code of
     * column j, code of column j + 4) scales. The four products of a chunk (at most 15·128 each in
     * magnitude) are summed in 16 bits; adding the word shifted left by 16 then puts the sum of its
     * two lanes in the top 16 bits, which an arithmetic shift brings down as a 32-bit value.
     *
     * <p>The running sum lives in the array, not in a vector variable carried around the loop: C2
     * of JDK 17 sometimes lost the exact type of such a loop-carried int vector after the loop and
     * left it boxed, making the product several times slower depending on compilation order.
     */
    private static void codeDot(
            int[] words, int base, int chunks, int[] pairs, int pOff, int[] sums, int sOff) {
        for (int c = 0; c < chunks; c++) {
            int p = pOff + 4 * c;
            ShortVector w = IntVector.fromArray(I, words, base + c * WIDTH).reinterpretAsShorts();
            IntVector s = w.lanewise(VectorOperators.AND, (short) 0xF)
                    .mul(pair(pairs, p))
                    .add(w.lanewise(VectorOperators.LSHR, 4)
                            .lanewise(VectorOperators.AND, (short) 0xF)
                            .mul(pair(pairs, p + 1)))
                    .add(w.lanewise(VectorOperators.LSHR, 8)
                            .lanewise(VectorOperators.AND, (short) 0xF)
                            .mul(pair(pairs, p + 2)))
                    .add(w.lanewise(VectorOperators.ASHR, 12).and(TOP_FIELD_MASK).mul(pair(pairs, p + 3)))
                    .reinterpretAsInts();
            IntVector.fromArray(I, sums, sOff)
                    .add(s.add(s.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16))
                    .intoArray(sums, sOff);
        }
    }

    private static ShortVector pair(int[] pairs, int p) {
        return IntVector.broadcast(I, pairs[p]).reinterpretAsShorts();
    }

    @Override
    public void dotFp4(
            int[] words, int base, int kLen, Fp4Format format, float[] x, int xOff, float[] part) {
        int m = format.mantissaBits();
        float lift = 1 << m;
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        int full = kLen / 8;
        for (int c = 0; c < full; c++) {
            int w = base + c * WIDTH;
            int i = xOff + 8 * c;
            IntVector w0 = IntVector.fromArray(I, words, w);
            IntVector w1 = IntVector.fromArray(I, words, w + L);
            for (int j = 0; j < 8; j += 2) {
                FloatVector v = FloatVector.broadcast(F, x[i + j] * lift);
                a0 = fp4(w0, j, m).fma(v, a0);
                a1 = fp4(w1, j, m).fma(v, a1);
                v = FloatVector.broadcast(F, x[i + j + 1] * lift);
                b0 = fp4(w0, j + 1, m).fma(v, b0);
                b1 = fp4(w1, j + 1, m).fma(v, b1);
            }
        }
        int rest = kLen - 8 * full;
        if (rest > 0) {
            int w = base + full * WIDTH;
            IntVector w0 = IntVector.fromArray(I, words, w);
            IntVector w1 = IntVector.fromArray(I, words, w + L);
            for (int j = 0; j < rest; j++) {
                FloatVector v = FloatVector.broadcast(F, x[xOff + 8 * full + j] * lift);
                a0 = fp4(w0, j, m).fma(v, a0);
                a1 = fp4(w1, j, m).fma(v, a1);
            }
        }
        a0.add(b0).intoArray(part, 0);
        a1.add(b1).intoArray(part, L);
    }

    @Override
    public void multiply(
            float[] a, int aOff, int aStride, int rows, float[] tile, int tileOff, int kLen, float[] part) {
        int t = 0;
        for (; t + MR <= rows; t += MR) {
            multiply6(a, aOff + t * aStride, aStride, tile, tileOff, kLen, part, t * WIDTH);
        }
        if (t + 4 <= rows) {
            multiply4(a, aOff + t * aStride, aStride, tile, tileOff, kLen, part, t * WIDTH);
            t += 4;
        }
        for (; t + 2 <= rows; t += 2) {
            multiply2(a, aOff + t * aStride, aStride, tile, tileOff, kLen, part, t * WIDTH);
        }
        if (t < rows) {
            multiply1(a, aOff + t * aStride, tile, tileOff, kLen, part, t * WIDTH);
        }
    }

    @Override
    public void multiplyPacked(
            float[] packed, int rows, int in, int t0, int k0, int kLen, float[] tile, int tileOff, float[] part) {
        int m = Math.min(MR, rows - t0);
        if (PANELS && m == MR) {
            panel6(packed, t0 * in + k0 * MR, tile, tileOff, kLen, part);
        } else {
            multiply(packed, t0 * in + k0, in, m, tile, tileOff, kLen, part);
        }
    }

    /** {@link #multiply6} reading the six activations of column k at {@code a[aOff + 6k ..]}. */
    private static void panel6(float[] a, int aOff, float[] tile, int tileOff, int kLen, float[] part) {
        FloatVector r00 = FloatVector.zero(F);
        FloatVector r01 = r00;
        FloatVector r10 = r00;
        FloatVector r11 = r00;
        FloatVector r20 = r00;
        FloatVector r21 = r00;
        FloatVector r30 = r00;
        FloatVector r31 = r00;
        FloatVector r40 = r00;
        FloatVector r41 = r00;
        FloatVector r50 = r00;
        FloatVector r51 = r00;
        for (int k = 0; k < kLen; k++) {
            int t = tileOff + k * WIDTH;
            int p = aOff + MR * k;
            FloatVector w0 = FloatVector.fromArray(F, tile, t);
            FloatVector w1 = FloatVector.fromArray(F, tile, t + L);
            FloatVector v = FloatVector.broadcast(F, a[p]);
            r00 = w0.fma(v, r00);
            r01 = w1.fma(v, r01);
            v = FloatVector.broadcast(F, a[p + 1]);
            r10 = w0.fma(v, r10);
            r11 = w1.fma(v, r11);
            v = FloatVector.broadcast(F, a[p + 2]);
            r20 = w0.fma(v, r20);
            r21 = w1.fma(v, r21);
            v = FloatVector.broadcast(F, a[p + 3]);
            r30 = w0.fma(v, r30);
            r31 = w1.fma(v, r31);
            v = FloatVector.broadcast(F, a[p + 4]);
            r40 = w0.fma(v, r40);
            r41 = w1.fma(v, r41);
            v = FloatVector.broadcast(F, a[p + 5]);
            r50 = w0.fma(v, r50);
            r51 = w1.fma(v, r51);
        }
        r00.intoArray(part, 0);
        r01.intoArray(part, L);
        r10.intoArray(part, WIDTH);
        r11.intoArray(part, WIDTH + L);
        r20.intoArray(part, 2 * WIDTH);
        r21.intoArray(part, 2 * WIDTH + L);
        r30.intoArray(part, 3 * WIDTH);
        r31.intoArray(part, 3 * WIDTH + L);
        r40.intoArray(part, 4 * WIDTH);
        r41.intoArray(part, 4 * WIDTH + L);
        r50.intoArray(part, 5 * WIDTH);
        r51.intoArray(part, 5 * WIDTH + L);
    }

    private static void multiply6(
            float[] a, int aOff, int aStride, float[] tile, int tileOff, int kLen, float[] part, int pOff) {
        FloatVector r00 = FloatVector.zero(F);
        FloatVector r01 = r00;
        FloatVector r10 = r00;
        FloatVector r11 = r00;
        FloatVector r20 = r00;
        FloatVector r21 = r00;
        FloatVector r30 = r00;
        FloatVector r31 = r00;
        FloatVector r40 = r00;
        FloatVector r41 = r00;
        FloatVector r50 = r00;
        FloatVector r51 = r00;
        int a1 = aOff + aStride;
        int a2 = a1 + aStride;
        int a3 = a2 + aStride;
        int a4 = a3 + aStride;
        int a5 = a4 + aStride;
        for (int k = 0; k < kLen; k++) {
            FloatVector w0 = FloatVector.fromArray(F, tile, tileOff + k * WIDTH);
            FloatVector w1 = FloatVector.fromArray(F, tile, tileOff + k * WIDTH + L);
            FloatVector v = FloatVector.broadcast(F, a[aOff + k]);
            r00 = w0.fma(v, r00);
            r01 = w1.fma(v, r01);
            v = FloatVector.broadcast(F, a[a1 + k]);
            r10 = w0.fma(v, r10);
            r11 = w1.fma(v, r11);
            v = FloatVector.broadcast(F, a[a2 + k]);
            r20 = w0.fma(v, r20);
            r21 = w1.fma(v, r21);
            v = FloatVector.broadcast(F, a[a3 + k]);
            r30 = w0.fma(v, r30);
            r31 = w1.fma(v, r31);
            v = FloatVector.broadcast(F, a[a4 + k]);
            r40 = w0.fma(v, r40);
            r41 = w1.fma(v, r41);
            v = FloatVector.broadcast(F, a[a5 + k]);
            r50 = w0.fma(v, r50);
            r51 = w1.fma(v, r51);
        }
        r00.intoArray(part, pOff);
        r01.intoArray(part, pOff + L);
        r10.intoArray(part, pOff + WIDTH);
        r11.intoArray(part, pOff + WIDTH + L);
        r20.intoArray(part, pOff + 2 * WIDTH);
        r21.intoArray(part, pOff + 2 * WIDTH + L);
        r30.intoArray(part, pOff + 3 * WIDTH);
        r31.intoArray(part, pOff + 3 * WIDTH + L);
        r40.intoArray(part, pOff + 4 * WIDTH);
        r41.intoArray(part, pOff + 4 * WIDTH + L);
        r50.intoArray(part, pOff + 5 * WIDTH);
        r51.intoArray(part, pOff + 5 * WIDTH + L);
    }

    /** {@link #multiply2} for four rows: the tile's two vectors loaded once per column for all four. */
    private static void multiply4(
            float[] a, int aOff, int aStride, float[] tile, int tileOff, int kLen, float[] part, int pOff) {
        FloatVector r00 = FloatVector.zero(F);
        FloatVector r01 = r00;
        FloatVector r10 = r00;
        FloatVector r11 = r00;
        FloatVector r20 = r00;
        FloatVector r21 = r00;
        FloatVector r30 = r00;
        FloatVector r31 = r00;
        int a1 = aOff + aStride;
        int a2 = a1 + aStride;
        int a3 = a2 + aStride;
        for (int k = 0; k < kLen; k++) {
            FloatVector w0 = FloatVector.fromArray(F, tile, tileOff + k * WIDTH);
            FloatVector w1 = FloatVector.fromArray(F, tile, tileOff + k * WIDTH + L);
            FloatVector v = FloatVector.broadcast(F, a[aOff + k]);
            r00 = w0.fma(v, r00);
            r01 = w1.fma(v, r01);
            v = FloatVector.broadcast(F, a[a1 + k]);
            r10 = w0.fma(v, r10);
            r11 = w1.fma(v, r11);
            v = FloatVector.broadcast(F, a[a2 + k]);
            r20 = w0.fma(v, r20);
            r21 = w1.fma(v, r21);
            v = FloatVector.broadcast(F, a[a3 + k]);
            r30 = w0.fma(v, r30);
            r31 = w1.fma(v, r31);
        }
        r00.intoArray(part, pOff);
        r01.intoArray(part, pOff + L);
        r10.intoArray(part, pOff + WIDTH);
        r11.intoArray(part, pOff + WIDTH + L);
        r20.intoArray(part, pOff + 2 * WIDTH);
        r21.intoArray(part, pOff + 2 * WIDTH + L);
        r30.intoArray(part, pOff + 3 * WIDTH);
        r31.intoArray(part, pOff + 3 * WIDTH + L);
    }

    private static void multiply2(
            float[] a, int aOff, int aStride, float[] tile, int tileOff, int kLen, float[] part, int pOff) {
        FloatVector r00 = FloatVector.zero(F);
        FloatVector r01 = r00;
        FloatVector r10 = r00;
        FloatVector r11 = r00;
        int a1 = aOff + aStride;
        for (int k = 0; k < kLen; k++) {
            FloatVector w0 = FloatVector.fromArray(F, tile, tileOff + k * WIDTH);
            FloatVector w1 = FloatVector.fromArray(F, tile, tileOff + k * WIDTH + L);
            FloatVector v = FloatVector.broadcast(F, a[aOff + k]);
            r00 = w0.fma(v, r00);
            r01 = w1.fma(v, r01);
            v = FloatVector.broadcast(F, a[a1 + k]);
            r10 = w0.fma(v, r10);
            r11 = w1.fma(v, r11);
        }
        r00.intoArray(part, pOff);
        r01.intoArray(part, pOff + L);
        r10.intoArray(part, pOff + WIDTH);
        r11.intoArray(part, pOff + WIDTH + L);
    }

    private static void multiply1(
            float[] a, int aOff, float[] tile, int tileOff, int kLen, float[] part, int pOff) {
        FloatVector r00 = FloatVector.zero(F);
        FloatVector r01 = r00;
        for (int k = 0; k < kLen; k++) {
            FloatVector v = FloatVector.broadcast(F, a[aOff + k]);
            r00 = FloatVector.fromArray(F, tile, tileOff + k * WIDTH).fma(v, r00);
            r01 = FloatVector.fromArray(F, tile, tileOff + k * WIDTH + L).fma(v, r01);
        }
        r00.intoArray(part, pOff);
        r01.intoArray(part, pOff + L);
    }

    @Override
    public void multiplyGathered(
            float[] a,
            int aOff,
            int aStride,
            int rows,
            float[] tile,
            int[] order,
            int orderOff,
            int kLen,
            float[] part) {
        int t = 0;
        for (; t + 4 <= rows; t += 4) {
            gathered4(a, aOff + t * aStride, aStride, tile, order, orderOff, kLen, part, t * WIDTH);
        }
        for (; t < rows; t++) {
            FloatVector r00 = FloatVector.zero(F);
            FloatVector r01 = r00;
            int at = aOff + t * aStride;
            for (int k = 0; k < kLen; k++) {
                int row = order[orderOff + k] * WIDTH;
                FloatVector v = FloatVector.broadcast(F, a[at + k]);
                r00 = FloatVector.fromArray(F, tile, row).fma(v, r00);
                r01 = FloatVector.fromArray(F, tile, row + L).fma(v, r01);
            }
            r00.intoArray(part, t * WIDTH);
            r01.intoArray(part, t * WIDTH + L);
        }
    }

    private static void gathered4(
            float[] a,
            int aOff,
            int aStride,
            float[] tile,
            int[] order,
            int orderOff,
            int kLen,
            float[] part,
            int pOff) {
        FloatVector r00 = FloatVector.zero(F);
        FloatVector r01 = r00;
        FloatVector r10 = r00;
        FloatVector r11 = r00;
        FloatVector r20 = r00;
        FloatVector r21 = r00;
        FloatVector r30 = r00;
        FloatVector r31 = r00;
        int a1 = aOff + aStride;
        int a2 = a1 + aStride;
        int a3 = a2 + aStride;
        for (int k = 0; k < kLen; k++) {
            int row = order[orderOff + k] * WIDTH;
            FloatVector w0 = FloatVector.fromArray(F, tile, row);
            FloatVector w1 = FloatVector.fromArray(F, tile, row + L);
            FloatVector v = FloatVector.broadcast(F, a[aOff + k]);
            r00 = w0.fma(v, r00);
            r01 = w1.fma(v, r01);
            v = FloatVector.broadcast(F, a[a1 + k]);
            r10 = w0.fma(v, r10);
            r11 = w1.fma(v, r11);
            v = FloatVector.broadcast(F, a[a2 + k]);
            r20 = w0.fma(v, r20);
            r21 = w1.fma(v, r21);
            v = FloatVector.broadcast(F, a[a3 + k]);
            r30 = w0.fma(v, r30);
            r31 = w1.fma(v, r31);
        }
        r00.intoArray(part, pOff);
        r01.intoArray(part, pOff + L);
        r10.intoArray(part, pOff + WIDTH);
        r11.intoArray(part, pOff + WIDTH + L);
        r20.intoArray(part, pOff + 2 * WIDTH);
        r21.intoArray(part, pOff + 2 * WIDTH + L);
        r30.intoArray(part, pOff + 3 * WIDTH);
        r31.intoArray(part, pOff + 3 * WIDTH + L);
    }

    @Override
    public void addInto(float[] part, float[] acc, int accOff, int len) {
        for (int i = 0; i < len; i += L) {
            FloatVector.fromArray(F, acc, accOff + i)
                    .add(FloatVector.fromArray(F, part, i))
                    .intoArray(acc, accOff + i);
        }
    }

    @Override
    public void fmaInto(float[] part, int rows, float[] scales, int sOff, float[] acc, int accOff) {
        FloatVector s0 = FloatVector.fromArray(F, scales, sOff);
        FloatVector s1 = FloatVector.fromArray(F, scales, sOff + L);
        for (int t = 0; t < rows; t++) {
            int p = t * WIDTH;
            int q = accOff + p;
            FloatVector.fromArray(F, part, p)
                    .fma(s0, FloatVector.fromArray(F, acc, q))
                    .intoArray(acc, q);
            FloatVector.fromArray(F, part, p + L)
                    .fma(s1, FloatVector.fromArray(F, acc, q + L))
                    .intoArray(acc, q + L);
        }
    }

    @Override
    public void endGroup(float[] part, float biasSum, float sum, float[] scales, float[] zeros, int sOff, float[] acc,
            int accOff) {
        FloatVector b = FloatVector.broadcast(F, biasSum);
        for (int h = 0; h < WIDTH; h += L) {
            FloatVector offset = zeros == null ? b : b.sub(FloatVector.fromArray(F, zeros, sOff + h).mul(sum));
            FloatVector.fromArray(F, part, h)
                    .add(offset)
                    .fma(FloatVector.fromArray(F, scales, sOff + h), FloatVector.fromArray(F, acc, accOff + h))
                    .intoArray(acc, accOff + h);
        }
    }

    @Override
    public void subtractZeroSums(float[] part, int rows, int[] tokenZeros, int zOff, int[] codeSums, int sOff) {
        FloatVector w0 = toFloat(IntVector.fromArray(I, codeSums, sOff));
        FloatVector w1 = toFloat(IntVector.fromArray(I, codeSums, sOff + L));
        for (int t = 0; t < rows; t++) {
            int p = t * WIDTH;
            FloatVector z = FloatVector.broadcast(F, (float) -tokenZeros[zOff + t]);
            w0.fma(z, FloatVector.fromArray(F, part, p)).intoArray(part, p);
            w1.fma(z, FloatVector.fromArray(F, part, p + L)).intoArray(part, p + L);
        }
    }

    @Override
    public void fmaScalarInto(float[] part, float factor, float[] acc, int accOff, int len) {
        FloatVector f = FloatVector.broadcast(F, factor);
        for (int i = 0; i < len; i += L) {
            FloatVector.fromArray(F, part, i)
                    .fma(f, FloatVector.fromArray(F, acc, accOff + i))
                    .intoArray(acc, accOff + i);
        }
    }
}
