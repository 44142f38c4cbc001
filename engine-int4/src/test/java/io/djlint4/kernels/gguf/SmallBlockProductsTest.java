package io.djlint4.kernels.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The four row products of each 32-value type on random blocks, at row lengths from one block to
 * 48 (18 is a 576-wide row) and at non-zero offsets: the scalar references against double
 * oracles over the dequantized weights, the fast paths against the references.
 */
class SmallBlockProductsTest {

    private static final int W_OFF = 5;
    private static final int X_OFF = 3;
    private static final int A_OFF = 64;

    // Sums of up to ~80 float roundings in a chain stay below 80 · 2^-24 of the terms' size.
    private static final double TOLERANCE = 1e-5;

    static Stream<Arguments> rows() {
        return BlockFixtures.FORMATS.stream()
                .flatMap(f -> Stream.of(1, 3, 7, 18, 48).map(blocks -> Arguments.of(f, blocks)));
    }

    /** Up to 7 blocks, which keep |Σ| of 8-bit products below 2^24, where float sums of integers are exact. */
    static Stream<Arguments> shortRows() {
        return BlockFixtures.FORMATS.stream()
                .flatMap(f -> Stream.of(1, 3, 7).map(blocks -> Arguments.of(f, blocks)));
    }

    @ParameterizedTest(name = "{0} x {1} blocks")
    @MethodSource("rows")
    void floatProducts(BlockFormat f, int blocks) {
        Random rnd = new Random(31L * f.ggmlType() + blocks);
        byte[] w = BlockFixtures.randomBlocks(f, rnd, W_OFF, blocks);
        float[] x = BlockFixtures.gaussian(rnd, X_OFF + blocks * 32 + 5);
        double expected = BlockFixtures.dot(BlockFixtures.dequantize(f, w, W_OFF, blocks), x, X_OFF);
        double tolerance = TOLERANCE * BlockFixtures.magnitude(f, w, W_OFF, x, X_OFF, blocks);
        float reference = f.dotReference(w, W_OFF, x, X_OFF, blocks);
        assertEquals(expected, reference, tolerance, "dotReference");
        assertEquals(reference, f.dot(w, W_OFF, x, X_OFF, blocks), tolerance, "dot");
    }

    @ParameterizedTest(name = "{0} x {1} blocks")
    @MethodSource("rows")
    void q8Products(BlockFormat f, int blocks) {
        Random rnd = new Random(37L * f.ggmlType() + blocks);
        byte[] w = BlockFixtures.randomBlocks(f, rnd, W_OFF, blocks);
        Q8Activations a = Q8Activations.quantize(BlockFixtures.gaussian(rnd, A_OFF + blocks * 32), 1, A_OFF + blocks * 32);
        float[] ax = BlockFixtures.dequantize(a);
        double expected = BlockFixtures.dot(BlockFixtures.dequantize(f, w, W_OFF, blocks), ax, A_OFF);
        double tolerance = TOLERANCE * BlockFixtures.magnitude(f, w, W_OFF, ax, A_OFF, blocks);
        float reference = f.dotQ8Reference(w, W_OFF, a, A_OFF, blocks);
        assertEquals(expected, reference, tolerance, "dotQ8Reference");
        assertEquals(reference, f.dotQ8(w, W_OFF, a, A_OFF, blocks), tolerance, "dotQ8");
    }

    /**
     * With unit scales, an integer minimum and integer activations whose blocks reach ±127 (so
     * {@code d_a = 1}), every term and partial sum is a float-exact integer: both 8-bit products
     * must give the exact sum, whatever order they add in.
     */
    @ParameterizedTest(name = "{0} x {1} blocks")
    @MethodSource("shortRows")
    void q8ProductsAreExactOnIntegers(BlockFormat f, int blocks) {
        Random rnd = new Random(41L * f.ggmlType() + blocks);
        byte[] w = BlockFixtures.randomBlocks(f, rnd, W_OFF, blocks);
        for (int b = 0; b < blocks; b++) {
            int p = W_OFF + b * f.typeSize();
            BlockFixtures.putHalf(w, p, 0x3C00); // d = 1
            if (BlockFixtures.hasMin(f)) {
                BlockFixtures.putHalf(w, p + 2, 0xC200); // m = -3
            }
        }
        float[] x = new float[A_OFF + blocks * 32];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 32 == 5 ? (rnd.nextBoolean() ? 127 : -127) : rnd.nextInt(255) - 127;
        }
        Q8Activations a = Q8Activations.quantize(x, 1, x.length);
        float[] wv = BlockFixtures.dequantize(f, w, W_OFF, blocks);
        long exact = 0;
        for (int k = 0; k < wv.length; k++) {
            exact += (long) wv[k] * (long) x[A_OFF + k];
        }
        assertEquals(exact, f.dotQ8Reference(w, W_OFF, a, A_OFF, blocks), 0.0, "dotQ8Reference");
        assertEquals(exact, f.dotQ8(w, W_OFF, a, A_OFF, blocks), 0.0, "dotQ8");
    }

    /**
     * A block with {@code d = 0} (its minimum, where there is one, kept) between two random ones,
     * against activations whose magnitudes run from 1e-3 to 1e3: the zero block contributes
     * exactly its minimum's share, and the mixed magnitudes must not upset any product.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void zeroScaleBlockAndMixedMagnitudes(BlockFormat f) {
        Random rnd = new Random(43L * f.ggmlType());
        byte[] w = BlockFixtures.randomBlocks(f, rnd, W_OFF, 3);
        BlockFixtures.putHalf(w, W_OFF + f.typeSize(), 0);
        float[] x = new float[X_OFF + 96];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(7) - 3));
        }
        float[] wv = BlockFixtures.dequantize(f, w, W_OFF, 3);
        float m = BlockFixtures.hasMin(f) ? wv[32] : 0f;
        for (int j = 32; j < 64; j++) {
            assertEquals(m, wv[j], 0.0, "value " + j + " of the zero-scale block");
        }
        double tolerance = TOLERANCE * BlockFixtures.magnitude(f, w, W_OFF, x, X_OFF, 3);
        double expected = BlockFixtures.dot(wv, x, X_OFF);
        assertEquals(expected, f.dotReference(w, W_OFF, x, X_OFF, 3), tolerance, "dotReference");
        assertEquals(expected, f.dot(w, W_OFF, x, X_OFF, 3), tolerance, "dot");

        Q8Activations a = Q8Activations.quantize(x, 1, 96);
        float[] ax = BlockFixtures.dequantize(a);
        double q8Tolerance = TOLERANCE * BlockFixtures.magnitude(f, w, W_OFF, ax, 0, 3);
        double q8Expected = BlockFixtures.dot(wv, ax, 0);
        assertEquals(q8Expected, f.dotQ8Reference(w, W_OFF, a, 0, 3), q8Tolerance, "dotQ8Reference");
        assertEquals(q8Expected, f.dotQ8(w, W_OFF, a, 0, 3), q8Tolerance, "dotQ8");
    }

    static Stream<BlockFormat> formats() {
        return BlockFixtures.FORMATS.stream();
    }
}
