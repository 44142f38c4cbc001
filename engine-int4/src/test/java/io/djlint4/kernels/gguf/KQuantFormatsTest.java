package io.djlint4.kernels.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.checkpoint.Float16;
import io.djlint4.checkpoint.GgufQ4KBlocks;
import io.djlint4.checkpoint.GgufQ6KBlocks;
import io.djlint4.checkpoint.GgufType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Q4_K, Q5_K and Q6_K: dequantization against the ByteBuffer dequantizers of the checkpoint
 * reader and a hand-built block, every product against a double-precision oracle over the
 * dequantized weights and the fast paths against the references, on random valid super-blocks.
 */
class KQuantFormatsTest {

    private static final int W_OFF = 5;
    private static final int X_OFF = 7;
    private static final int A_OFF = 64;

    static List<BlockFormat> formats() {
        return List.of(Q4KFormat.INSTANCE, Q5KFormat.INSTANCE, Q6KFormat.INSTANCE);
    }

    /** Random bytes with finite fp16 scales of either sign (Q4_K/Q5_K mins positive). */
    static byte[] randomBlocks(BlockFormat f, Random rnd, int off, int blocks) {
        byte[] w = new byte[off + blocks * f.typeSize() + 3];
        rnd.nextBytes(w);
        for (int b = 0; b < blocks; b++) {
            int p = off + b * f.typeSize();
            double d = Math.scalb(1 + rnd.nextDouble(), -4 - rnd.nextInt(8)) * (rnd.nextBoolean() ? 1 : -1);
            if (f == Q6KFormat.INSTANCE) {
                putHalf(w, p + Q6KFormat.D, d);
            } else {
                putHalf(w, p, d);
                putHalf(w, p + 2, Math.scalb(1 + rnd.nextDouble(), -5 - rnd.nextInt(8)));
            }
        }
        return w;
    }

    private static void putHalf(byte[] w, int off, double v) {
        short h = Float16.fromFloat((float) v);
        w[off] = (byte) h;
        w[off + 1] = (byte) (h >>> 8);
    }

    private static float[] gaussian(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }

    @ParameterizedTest
    @MethodSource("formats")
    void geometryMatchesGgufType(BlockFormat f) {
        GgufType t = GgufType.fromId(f.ggmlType());
        assertEquals(t.name(), f.typeName());
        assertEquals(t.blockSize(), f.blockSize());
        assertEquals(t.typeSize(), f.typeSize());
        assertEquals(3 * f.typeSize(), f.rowBytes(768));
    }

    @Test
    void q4kAndQ6kDequantizeAsTheCheckpointReader() {
        Random rnd = new Random(1);
        int blocks = 5;
        for (BlockFormat f : List.of(Q4KFormat.INSTANCE, Q6KFormat.INSTANCE)) {
            for (int round = 0; round < 20; round++) {
                // Every byte random, scales included: the bit patterns must agree everywhere.
                byte[] w = new byte[W_OFF + blocks * f.typeSize()];
                rnd.nextBytes(w);
                float[] expected = new float[blocks * 256 + 2];
                float[] actual = new float[blocks * 256 + 2];
                ByteBuffer le = ByteBuffer.wrap(w).order(ByteOrder.LITTLE_ENDIAN);
                if (f == Q4KFormat.INSTANCE) {
                    GgufQ4KBlocks.dequantize(le, W_OFF, expected, 1, blocks);
                } else {
                    GgufQ6KBlocks.dequantize(le, W_OFF, expected, 1, blocks);
                }
                f.dequantize(w, W_OFF, actual, 1, blocks);
                assertArrayEquals(expected, actual, f.typeName() + " round " + round);
            }
        }
    }

    /** A Q5_K block packed by hand; its values follow ggml's formula and are exact in float. */
    @Test
    void q5kDequantizesAsGgmlsFormula() {
        int[] sc = {1, 2, 3, 63, 17, 40, 5, 33};
        int[] m = {0, 7, 63, 1, 48, 2, 31, 16};
        int[][] q = new int[8][32];
        for (int j = 0; j < 8; j++) {
            for (int l = 0; l < 32; l++) {
                q[j][l] = (j * 7 + l * 3 + l / 5) % 32;
            }
        }
        byte[] w = new byte[176];
        w[0] = 0x00; // d = 0.5 (fp16 0x3800)
        w[1] = 0x38;
        w[2] = 0x00; // dmin = 0.25 (fp16 0x3400)
        w[3] = 0x34;
        for (int j = 0; j < 4; j++) {
            // get_scale_min_k4: low six bits in bytes j and j+4, the upper sub-blocks' top bits above.
            w[4 + j] = (byte) (sc[j] | (sc[j + 4] >> 4) << 6);
            w[8 + j] = (byte) (m[j] | (m[j + 4] >> 4) << 6);
            w[12 + j] = (byte) ((sc[j + 4] & 15) | (m[j + 4] & 15) << 4);
        }
        for (int l = 0; l < 32; l++) {
            int qh = 0;
            for (int j = 0; j < 8; j++) {
                qh |= (q[j][l] >> 4) << j;
            }
            w[16 + l] = (byte) qh;
            for (int r = 0; r < 4; r++) {
                w[48 + 32 * r + l] = (byte) ((q[2 * r][l] & 15) | (q[2 * r + 1][l] & 15) << 4);
            }
        }
        float[] expected = new float[256];
        for (int j = 0; j < 8; j++) {
            for (int l = 0; l < 32; l++) {
                expected[32 * j + l] = 0.5f * sc[j] * q[j][l] - 0.25f * m[j];
            }
        }
        float[] actual = new float[256];
        Q5KFormat.INSTANCE.dequantize(w, 0, actual, 0, 1);
        assertArrayEquals(expected, actual);
    }

    @ParameterizedTest
    @MethodSource("formats")
    void productsMatchTheOracle(BlockFormat f) {
        Random rnd = new Random(f.ggmlType());
        for (int blocks : new int[] {1, 2, 3, 19}) {
            for (int round = 0; round < 5; round++) {
                int n = blocks * 256;
                byte[] w = randomBlocks(f, rnd, W_OFF, blocks);
                float[] x = gaussian(rnd, X_OFF + n + 2);
                float[] xa = gaussian(rnd, A_OFF + n + 32);
                Q8Activations a = Q8Activations.quantize(xa, 1, xa.length);
                float[] deq = new float[n];
                f.dequantize(w, W_OFF, deq, 0, blocks);
                String what = f.typeName() + " blocks=" + blocks + " round=" + round;

                double exact = 0;
                double magnitude = 0;
                double exactQ8 = 0;
                double magnitudeQ8 = 0;
                for (int k = 0; k < n; k++) {
                    double t = (double) deq[k] * x[X_OFF + k];
                    exact += t;
                    magnitude += Math.abs(t);
                    int ak = A_OFF + k;
                    double tq = (double) deq[k] * ((double) a.scales()[ak / 32] * a.codes()[ak]);
                    exactQ8 += tq;
                    magnitudeQ8 += Math.abs(tq);
                }
                float reference = f.dotReference(w, W_OFF, x, X_OFF, blocks);
                assertEquals(exact, reference, 1e-5 * magnitude, what + " dotReference");
                assertEquals(reference, f.dot(w, W_OFF, x, X_OFF, blocks), 1e-5 * magnitude, what + " dot");
                float referenceQ8 = f.dotQ8Reference(w, W_OFF, a, A_OFF, blocks);
                assertEquals(exactQ8, referenceQ8, 1e-5 * magnitudeQ8, what + " dotQ8Reference");
                assertEquals(referenceQ8, f.dotQ8(w, W_OFF, a, A_OFF, blocks), 1e-5 * magnitudeQ8, what + " dotQ8");
            }
        }
    }

    /** Many calls on one row, so the JIT compiles the fast paths and the compiled code is checked. */
    @ParameterizedTest
    @MethodSource("formats")
    void compiledProductsMatchTheReferences(BlockFormat f) {
        Random rnd = new Random(40 + f.ggmlType());
        int blocks = 2;
        byte[] w = randomBlocks(f, rnd, W_OFF, blocks);
        float[] x = gaussian(rnd, X_OFF + 512);
        float[] xa = gaussian(rnd, A_OFF + 512);
        Q8Activations a = Q8Activations.quantize(xa, 1, xa.length);
        float[] deq = new float[512];
        f.dequantize(w, W_OFF, deq, 0, blocks);
        double magnitude = 0;
        double magnitudeQ8 = 0;
        for (int k = 0; k < 512; k++) {
            magnitude += Math.abs((double) deq[k] * x[X_OFF + k]);
            magnitudeQ8 += Math.abs((double) deq[k] * xa[A_OFF + k]) * 1.01;
        }
        float reference = f.dotReference(w, W_OFF, x, X_OFF, blocks);
        float referenceQ8 = f.dotQ8Reference(w, W_OFF, a, A_OFF, blocks);
        float first = f.dot(w, W_OFF, x, X_OFF, blocks);
        float firstQ8 = f.dotQ8(w, W_OFF, a, A_OFF, blocks);
        for (int i = 0; i < 20_000; i++) {
            float dot = f.dot(w, W_OFF, x, X_OFF, blocks);
            float dotQ8 = f.dotQ8(w, W_OFF, a, A_OFF, blocks);
            if (Math.abs(dot - reference) > 1e-5 * magnitude || Math.abs(dotQ8 - referenceQ8) > 1e-5 * magnitudeQ8) {
                assertEquals(reference, dot, 1e-5 * magnitude, f.typeName() + " dot, call " + i);
                assertEquals(referenceQ8, dotQ8, 1e-5 * magnitudeQ8, f.typeName() + " dotQ8, call " + i);
            }
        }
        assertEquals(first, f.dot(w, W_OFF, x, X_OFF, blocks), 1e-5 * magnitude, "dot once compiled");
        assertEquals(firstQ8, f.dotQ8(w, W_OFF, a, A_OFF, blocks), 1e-5 * magnitudeQ8, "dotQ8 once compiled");
    }

    /**
     * Sub-blocks of very different ranges, one all positive, one all negative, one zero: each value
     * comes back within half a step of the encoder's scheme, bounded from the input alone.
     */
    @ParameterizedTest
    @MethodSource("formats")
    void encodeRoundTripsWithinHalfAStep(BlockFormat f) {
        Random rnd = new Random(7);
        int blocks = 3;
        float[] values = new float[blocks * 256];
        for (int g = 0; g < values.length / 16; g++) {
            double scale = Math.pow(10, rnd.nextDouble() * 3 - 2);
            for (int l = 0; l < 16; l++) {
                values[16 * g + l] = (float) (rnd.nextGaussian() * scale);
            }
        }
        for (int l = 0; l < 32; l++) {
            values[32 + l] = Math.abs(values[32 + l]) + 0.5f;
            values[64 + l] = -Math.abs(values[64 + l]) - 0.5f;
            values[256 + 96 + l] = 0f;
        }
        byte[] w = KQuantEncoders.encode(f, values);
        assertEquals(blocks * f.typeSize(), w.length);
        float[] back = new float[values.length];
        f.dequantize(w, 0, back, 0, blocks);
        double worst = 0;
        for (int b = 0; b < blocks; b++) {
            float[] bound = halfStepBounds(f, values, 256 * b);
            for (int k = 0; k < 256; k++) {
                int i = 256 * b + k;
                double err = Math.abs(back[i] - values[i]);
                assertTrue(err <= bound[k], f.typeName() + " value " + i + ": " + values[i] + " came back as " + back[i]
                        + ", allowed error " + bound[k]);
                worst = Math.max(worst, err / bound[k]);
            }
        }
        assertTrue(worst > 0.5, "the bound must not be loose: worst error / bound = " + worst);
        for (int l = 0; l < 32; l++) {
            assertEquals(0f, back[256 + 96 + l], 0f, "zero sub-block");
        }
    }

    /**
     * Half the step the encoder can reach for each value of the super-block at {@code v}: Q4_K and
     * Q5_K cover {@code [min(lo, 0), max(hi, 0)]} plus one rounded-up min step in {@code levels}
     * steps, plus one rounded-up super-block step; Q6_K covers {@code ±amax} in 31 steps plus one.
     */
    private static float[] halfStepBounds(BlockFormat f, float[] values, int v) {
        float[] bound = new float[256];
        double slack = 1e-6 * maxAbs(values, v);
        if (f == Q6KFormat.INSTANCE) {
            double[] amax = new double[16];
            double top = 0;
            for (int j = 0; j < 16; j++) {
                for (int l = 0; l < 16; l++) {
                    amax[j] = Math.max(amax[j], Math.abs(values[v + 16 * j + l]));
                }
                top = Math.max(top, amax[j]);
            }
            double d = top / 31 / 127 * 1.01;
            for (int k = 0; k < 256; k++) {
                bound[k] = (float) (0.5 * (amax[k / 16] / 31 + d) + slack);
            }
            return bound;
        }
        int levels = f == Q4KFormat.INSTANCE ? 15 : 31;
        double[] range = new double[8];
        double maxRange = 0;
        double maxMin = 0;
        for (int j = 0; j < 8; j++) {
            double lo = 0;
            double hi = 0;
            for (int l = 0; l < 32; l++) {
                lo = Math.min(lo, values[v + 32 * j + l]);
                hi = Math.max(hi, values[v + 32 * j + l]);
            }
            range[j] = hi - lo;
            maxRange = Math.max(maxRange, range[j]);
            maxMin = Math.max(maxMin, -lo);
        }
        double dmin = maxMin / 63 * 1.01;
        double d = (maxRange + dmin) / levels / 63 * 1.01;
        for (int k = 0; k < 256; k++) {
            bound[k] = (float) (0.5 * ((range[k / 32] + dmin) / levels + d) + slack);
        }
        return bound;
    }

    private static double maxAbs(float[] values, int v) {
        double m = 0;
        for (int k = 0; k < 256; k++) {
            m = Math.max(m, Math.abs(values[v + k]));
        }
        return m;
    }
}
