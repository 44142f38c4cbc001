package io.djlint4.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.kernels.gguf.BlockFormat;
import io.djlint4.kernels.gguf.BlockFormats;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Each GGML block format against a block built byte by byte, with the expected values computed
 * from the format's formula (exactly representable, so the comparison is exact); the 32-value block
 * types are tested in {@code io.djlint4.kernels.gguf}, here only their wiring.
 */
class GgufDequantizerTest {

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void putHalf(byte[] b, int off, int halfBits) {
        b[off] = (byte) halfBits;
        b[off + 1] = (byte) (halfBits >>> 8);
    }

    private static float[] run(GgufType type, byte[] block, int blocks) {
        float[] out = new float[blocks * type.blockSize()];
        // Leading padding checks that the source offset is honoured.
        byte[] padded = new byte[block.length + 3];
        System.arraycopy(block, 0, padded, 3, block.length);
        type.dequantizer().dequantize(le(padded), 3, out, 0, blocks);
        return out;
    }

    /**
     * The 32-value block types expand through their {@link BlockFormat} (whose own tests check the
     * values): ids and geometry agree, and a run of blocks longer than one copy slab, read from a
     * buffer at an offset, gives what the format gives on the bytes.
     */
    @Test
    void blockTypesExpandThroughTheirFormat() {
        GgufType[] types = {GgufType.Q4_0, GgufType.Q4_1, GgufType.Q5_0, GgufType.Q5_1, GgufType.Q8_0, GgufType.IQ4_NL};
        Random rnd = new Random(5);
        for (GgufType type : types) {
            BlockFormat f = BlockFormats.byType(type.id()).orElseThrow();
            assertEquals(f.typeName(), type.name());
            assertEquals(f.blockSize(), type.blockSize());
            assertEquals(f.typeSize(), type.typeSize());
            assertTrue(type.canDequantize());
            int blocks = (1 << 20) / f.typeSize() + 3;
            byte[] b = new byte[blocks * f.typeSize()];
            rnd.nextBytes(b);
            float[] expected = new float[blocks * 32];
            f.dequantize(b, 0, expected, 0, blocks);
            assertArrayEquals(expected, run(type, b, blocks), type.name());
        }
    }

    /**
     * Packs eight 6-bit scales and mins as block_q4_K.scales: bytes 0-3 hold scales 0-3 in their
     * low 6 bits and the top 2 bits of scales 4-7; bytes 4-7 likewise for mins; bytes 8-11 hold the
     * low 4 bits of scale 4+i (low nibble) and min 4+i (high nibble).
     */
    static byte[] packQ4KScales(int[] sc, int[] m) {
        byte[] s = new byte[12];
        for (int i = 0; i < 4; i++) {
            s[i] = (byte) (sc[i] | ((sc[4 + i] >> 4) << 6));
            s[4 + i] = (byte) (m[i] | ((m[4 + i] >> 4) << 6));
            s[8 + i] = (byte) ((sc[4 + i] & 0xF) | ((m[4 + i] & 0xF) << 4));
        }
        return s;
    }

    @Test
    void q4_K() {
        assertEquals(144, GgufType.Q4_K.typeSize());
        int[] sc = {1, 5, 17, 63, 33, 48, 2, 60}; // values >= 16 exercise the high bits
        int[] m = {0, 3, 62, 9, 31, 16, 47, 1};
        int[] q = new int[256];
        for (int i = 0; i < 256; i++) {
            q[i] = (i * 5 + 3) % 16;
        }
        byte[] b = new byte[144];
        putHalf(b, 0, 0x3800); // d = 0.5
        putHalf(b, 2, 0x3400); // dmin = 0.25
        System.arraycopy(packQ4KScales(sc, m), 0, b, 4, 12);
        // Each 64-value group k: 32 bytes whose low nibbles are values 64k..64k+31 and high nibbles
        // values 64k+32..64k+63.
        for (int k = 0; k < 4; k++) {
            for (int l = 0; l < 32; l++) {
                b[16 + 32 * k + l] = (byte) (q[64 * k + l] | (q[64 * k + 32 + l] << 4));
            }
        }
        float[] expected = new float[256];
        for (int i = 0; i < 256; i++) {
            int sub = i / 32;
            expected[i] = 0.5f * sc[sub] * q[i] - 0.25f * m[sub];
        }
        assertArrayEquals(expected, run(GgufType.Q4_K, b, 1));
    }

    @Test
    void q6_K() {
        assertEquals(210, GgufType.Q6_K.typeSize());
        int[] q = new int[256]; // 6-bit quants 0..63
        for (int i = 0; i < 256; i++) {
            q[i] = (i * 37 + 11) % 64;
        }
        int[] scales = {1, -2, 3, -4, 5, -6, 7, -8, 127, -128, 10, -11, 12, -13, 14, 0};
        byte[] b = new byte[210];
        // Layout per half n: ql[64n + l] holds values 128n+l (low nibble) and 128n+l+64 (high);
        // ql[64n + l + 32] holds 128n+l+32 (low) and 128n+l+96 (high); qh[32n + l] holds the top
        // two bits of values 128n+l, +32, +64, +96 in bits 0-1, 2-3, 4-5, 6-7.
        for (int n = 0; n < 2; n++) {
            for (int l = 0; l < 32; l++) {
                int v0 = q[128 * n + l];
                int v1 = q[128 * n + l + 32];
                int v2 = q[128 * n + l + 64];
                int v3 = q[128 * n + l + 96];
                b[64 * n + l] = (byte) ((v0 & 0xF) | ((v2 & 0xF) << 4));
                b[64 * n + l + 32] = (byte) ((v1 & 0xF) | ((v3 & 0xF) << 4));
                b[128 + 32 * n + l] = (byte) ((v0 >> 4) | ((v1 >> 4) << 2) | ((v2 >> 4) << 4) | ((v3 >> 4) << 6));
            }
        }
        for (int i = 0; i < 16; i++) {
            b[192 + i] = (byte) scales[i];
        }
        putHalf(b, 208, 0x3400); // d = 0.25
        float[] expected = new float[256];
        for (int i = 0; i < 256; i++) {
            expected[i] = 0.25f * scales[i / 16] * (q[i] - 32);
        }
        assertArrayEquals(expected, run(GgufType.Q6_K, b, 1));
    }

    @Test
    void floatTypes() {
        byte[] f32 = new byte[8];
        le(f32).putFloat(0, 1.5f).putFloat(4, -3.25f);
        assertArrayEquals(new float[] {1.5f, -3.25f}, run(GgufType.F32, f32, 2));
        byte[] f16 = new byte[4];
        putHalf(f16, 0, 0x3E00); // 1.5
        putHalf(f16, 2, 0x0001); // smallest subnormal
        assertArrayEquals(new float[] {1.5f, 0x1p-24f}, run(GgufType.F16, f16, 2));
        byte[] bf16 = new byte[4];
        putHalf(bf16, 0, 0x3FC0); // 1.5
        putHalf(bf16, 2, 0xC050); // -3.25
        assertArrayEquals(new float[] {1.5f, -3.25f}, run(GgufType.BF16, bf16, 2));
    }

    @Test
    void quantizersRoundTripWithinTheirError() {
        Random rnd = new Random(3);
        float[] x = new float[32 * 8];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        for (GgufType t : new GgufType[] {GgufType.Q8_0, GgufType.Q4_0, GgufType.Q4_1}) {
            float[] y = RandomCheckpoints.roundThrough(t, x);
            for (int blk = 0; blk < 8; blk++) {
                float amax = 0;
                float min = Float.MAX_VALUE;
                float max = -Float.MAX_VALUE;
                for (int j = 0; j < 32; j++) {
                    amax = Math.max(amax, Math.abs(x[32 * blk + j]));
                    min = Math.min(min, x[32 * blk + j]);
                    max = Math.max(max, x[32 * blk + j]);
                }
                // Half a quantization step plus the fp16 rounding of the scale (and min); Q4_0's
                // codes run from -8 d to +7 d, so values near -max clip by up to one step.
                float step = t == GgufType.Q8_0 ? amax / 127 : t == GgufType.Q4_0 ? amax / 8 : (max - min) / 15;
                float bound = (t == GgufType.Q4_0 ? step : step * 0.5f) + amax * 0x1p-10f + 1e-6f;
                for (int j = 0; j < 32; j++) {
                    int i = 32 * blk + j;
                    float err = Math.abs(x[i] - y[i]);
                    assertTrue(err <= bound, () -> t + " value " + i + ": " + x[i] + " -> " + y[i] + " bound " + bound);
                }
            }
        }
    }
}
