package io.djlint4.kernels.gguf;

import static io.djlint4.kernels.gguf.BlockFixtures.putHalf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Each 32-value type's dequantize against blocks built byte by byte, the expected values written
 * from ggml's {@code dequantize_row_*} formulas (exactly representable, so compared exactly). The
 * blocks sit after three junk bytes and the output after two untouched values, so both offsets are
 * honoured.
 */
class SmallBlockDequantizeTest {

    private static final int[] KVALUES_IQ4NL = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};

    private static float[] run(BlockFormat f, byte[] blocks) {
        int n = blocks.length / f.typeSize();
        assertEquals(0, blocks.length % f.typeSize());
        byte[] src = new byte[3 + blocks.length];
        src[0] = src[1] = src[2] = (byte) 0x5A;
        System.arraycopy(blocks, 0, src, 3, blocks.length);
        float[] out = new float[2 + n * 32];
        out[0] = 7f;
        out[1] = 9f;
        f.dequantize(src, 3, out, 2, n);
        assertEquals(7f, out[0]);
        assertEquals(9f, out[1]);
        float[] values = new float[n * 32];
        System.arraycopy(out, 2, values, 0, values.length);
        return values;
    }

    @Test
    void q4_0() {
        byte[] b = new byte[18];
        putHalf(b, 0, 0x3800); // d = 0.5
        for (int j = 0; j < 16; j++) {
            b[2 + j] = (byte) (j | ((15 - j) << 4));
        }
        float[] expected = new float[32];
        for (int j = 0; j < 16; j++) {
            expected[j] = (j - 8) * 0.5f; // low nibbles: first 16 values
            expected[16 + j] = (15 - j - 8) * 0.5f; // high nibbles: last 16
        }
        assertArrayEquals(expected, run(Q40Format.INSTANCE, b));
    }

    @Test
    void q4_1() {
        byte[] b = new byte[20];
        putHalf(b, 0, 0x3400); // d = 0.25
        putHalf(b, 2, 0xBC00); // m = -1
        for (int j = 0; j < 16; j++) {
            b[4 + j] = (byte) (((j * 7) & 15) | (((j + 3) & 15) << 4));
        }
        float[] expected = new float[32];
        for (int j = 0; j < 16; j++) {
            expected[j] = ((j * 7) & 15) * 0.25f - 1;
            expected[16 + j] = ((j + 3) & 15) * 0.25f - 1;
        }
        assertArrayEquals(expected, run(Q41Format.INSTANCE, b));
    }

    @Test
    void q5_0() {
        byte[] b = new byte[22 * 2];
        int[] qhs = {0xA5C30F69, 0x0000FFFF};
        putHalf(b, 0, 0x3800); // d = 0.5
        putHalf(b, 22, 0xC000); // d = -2
        float[] expected = new float[64];
        for (int blk = 0; blk < 2; blk++) {
            int p = 22 * blk;
            int qh = qhs[blk];
            float d = blk == 0 ? 0.5f : -2f;
            for (int i = 0; i < 4; i++) {
                b[p + 2 + i] = (byte) (qh >>> (8 * i)); // qh[4] is the little-endian word
            }
            for (int j = 0; j < 16; j++) {
                int q = (j * 5 + 1 + blk) & 15 | ((j * 3 + 7) & 15) << 4;
                b[p + 6 + j] = (byte) q;
                // ggml: xh_0 = ((qh >> j) << 4) & 0x10, xh_1 = (qh >> (j + 12)) & 0x10
                int xh0 = ((qh >>> j) << 4) & 0x10;
                int xh1 = (qh >>> (j + 12)) & 0x10;
                expected[32 * blk + j] = (((q & 0x0F) | xh0) - 16) * d;
                expected[32 * blk + 16 + j] = (((q >> 4) | xh1) - 16) * d;
            }
        }
        assertArrayEquals(expected, run(Q50Format.INSTANCE, b));
    }

    @Test
    void q5_1() {
        byte[] b = new byte[24];
        int qh = 0x3C5A96E1;
        putHalf(b, 0, 0x3400); // d = 0.25
        putHalf(b, 2, 0xBE00); // m = -1.5
        for (int i = 0; i < 4; i++) {
            b[4 + i] = (byte) (qh >>> (8 * i));
        }
        float[] expected = new float[32];
        for (int j = 0; j < 16; j++) {
            int q = (j * 11 + 2) & 15 | ((j * 13 + 5) & 15) << 4;
            b[8 + j] = (byte) q;
            int xh0 = ((qh >>> j) << 4) & 0x10;
            int xh1 = (qh >>> (j + 12)) & 0x10;
            expected[j] = ((q & 0x0F) | xh0) * 0.25f - 1.5f;
            expected[16 + j] = ((q >> 4) | xh1) * 0.25f - 1.5f;
        }
        assertArrayEquals(expected, run(Q51Format.INSTANCE, b));
    }

    @Test
    void q8_0() {
        byte[] b = new byte[34 * 2];
        putHalf(b, 0, 0x3000); // d = 0.125
        putHalf(b, 34, 0xC000); // d = -2
        int[] q = new int[64];
        for (int j = 0; j < 32; j++) {
            q[j] = j * 8 - 128; // -128 .. 120
            q[32 + j] = 127 - j;
            b[2 + j] = (byte) q[j];
            b[36 + j] = (byte) q[32 + j];
        }
        float[] expected = new float[64];
        for (int j = 0; j < 32; j++) {
            expected[j] = q[j] * 0.125f;
            expected[32 + j] = q[32 + j] * -2f;
        }
        assertArrayEquals(expected, run(Q80Format.INSTANCE, b));
    }

    @Test
    void iq4_nl() {
        byte[] b = new byte[18];
        putHalf(b, 0, 0xB400); // d = -0.25
        float[] expected = new float[32];
        for (int j = 0; j < 16; j++) {
            int lo = j;
            int hi = (j * 7 + 3) & 15;
            b[2 + j] = (byte) (lo | hi << 4);
            expected[j] = -0.25f * KVALUES_IQ4NL[lo];
            expected[16 + j] = -0.25f * KVALUES_IQ4NL[hi];
        }
        assertArrayEquals(expected, run(Iq4NlFormat.INSTANCE, b));
    }

    @Test
    void geometryAndIds() {
        int[][] expected = {{2, 18}, {3, 20}, {6, 22}, {7, 24}, {8, 34}, {20, 18}};
        String[] names = {"Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "IQ4_NL"};
        for (int i = 0; i < expected.length; i++) {
            BlockFormat f = BlockFixtures.FORMATS.get(i);
            assertEquals(names[i], f.typeName());
            assertEquals(expected[i][0], f.ggmlType(), names[i]);
            assertEquals(32, f.blockSize(), names[i]);
            assertEquals(expected[i][1], f.typeSize(), names[i]);
            assertEquals(18 * expected[i][1], f.rowBytes(576), names[i]);
            assertEquals(f, BlockFormats.byType(f.ggmlType()).orElseThrow(), names[i]);
        }
        assertTrue(BlockFormats.all().containsAll(BlockFixtures.FORMATS));
    }
}
