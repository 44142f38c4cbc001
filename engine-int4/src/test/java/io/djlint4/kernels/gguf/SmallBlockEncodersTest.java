package io.djlint4.kernels.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link SmallBlockEncoders} round trips: each value comes back within half a step of its block's
 * grid, plus how far it lies outside the grid (Q4_0 and Q5_0 put the value of largest magnitude on
 * the end with one more code, so its opposite may clip by a step) and the fp16 rounding of {@code d}
 * and {@code m}.
 */
class SmallBlockEncodersTest {

    static Stream<BlockFormat> formats() {
        return BlockFixtures.FORMATS.stream();
    }

    /** Code range {lowest, highest}: the grid is {@code d·code + m} for the codes in it. */
    private static int[] codes(BlockFormat f) {
        return switch (f.ggmlType()) {
            case Q40Format.GGML_TYPE -> new int[] {-8, 7};
            case Q41Format.GGML_TYPE -> new int[] {0, 15};
            case Q50Format.GGML_TYPE -> new int[] {-16, 15};
            case Q51Format.GGML_TYPE -> new int[] {0, 31};
            case Q80Format.GGML_TYPE -> new int[] {-128, 127};
            case Iq4NlFormat.GGML_TYPE -> new int[] {-127, 113};
            default -> throw new IllegalArgumentException(f.typeName());
        };
    }

    /** Half the widest gap between neighbouring grid points, in units of |d|. */
    private static float halfStep(BlockFormat f) {
        return f == Iq4NlFormat.INSTANCE ? 12f : 0.5f; // kvalues_iq4nl: 113 - 89 = 24
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void roundTripWithinHalfAStep(BlockFormat f) {
        Random rnd = new Random(47L * f.ggmlType());
        int blocks = 12;
        float[] x = new float[blocks * 32];
        for (int i = 0; i < x.length; i++) {
            int blk = i / 32;
            // Block 0 all zeros, block 1 constant, block 2 all positive, the rest spread over 1e-3..1e2.
            x[i] = switch (blk) {
                case 0 -> 0f;
                case 1 -> 0.75f;
                case 2 -> 3f + (float) rnd.nextDouble();
                default -> (float) (rnd.nextGaussian() * Math.pow(10, blk % 6 - 3));
            };
        }
        byte[] w = SmallBlockEncoders.encode(f, x);
        float[] y = BlockFixtures.dequantize(f, w, 0, blocks);
        int[] range = codes(f);
        for (int blk = 0; blk < blocks; blk++) {
            int p = blk * f.typeSize();
            float d = Math.abs(BlockBytes.half(w, p));
            float m = BlockFixtures.hasMin(f) ? BlockBytes.half(w, p + 2) : 0f;
            float a = BlockBytes.half(w, p);
            float lo = Math.min(a * range[0], a * range[1]) + m;
            float hi = Math.max(a * range[0], a * range[1]) + m;
            float maxCode = Math.max(-range[0], range[1]);
            for (int j = 0; j < 32; j++) {
                int i = blk * 32 + j;
                float outside = Math.max(0f, Math.max(lo - x[i], x[i] - hi));
                float rounding = (maxCode * d + Math.abs(m)) * 0x1p-10f + 1e-6f * Math.abs(x[i]);
                float bound = halfStep(f) * d + outside + rounding;
                float err = Math.abs(x[i] - y[i]);
                assertTrue(err <= bound, () -> f.typeName() + " value " + i + ": " + x[i] + " -> " + y[i] + ", bound " + bound);
            }
        }
    }

    @Test
    void theLibrarysEightBitEncoderWritesGgmlsBytes() {
        Random rnd = new Random(11);
        float[] w = new float[3 * 64];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian();
        }
        Arrays.fill(w, 64, 96, 0f); // an all-zero block has scale 0 and codes 0
        GgufMatrix m = Q80Format.encode(w, 3, 64);
        assertArrayEquals(SmallBlockEncoders.encode(Q80Format.INSTANCE, w), m.data());
    }
}
