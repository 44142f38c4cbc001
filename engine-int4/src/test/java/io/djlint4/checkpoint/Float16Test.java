package io.djlint4.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Float16 against hand-computed IEEE binary16 / bfloat16 values (JDK 20+ semantics). */
class Float16Test {

    private static void widens(int bits, float expected) {
        float got = Float16.toFloat(bits);
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(got),
                () -> String.format("0x%04x -> %s, expected %s", bits, got, expected));
    }

    private static void narrows(float f, int expectedBits) {
        int got = Float16.fromFloat(f) & 0xFFFF;
        assertEquals(expectedBits, got, () -> String.format("%s -> 0x%04x, expected 0x%04x", f, got, expectedBits));
    }

    @Test
    void widensNormalValues() {
        widens(0x3C00, 1.0f);
        widens(0xC000, -2.0f);
        widens(0x3800, 0.5f);
        widens(0x3555, 0.333251953125f); // 1365/4096
        widens(0x7BFF, 65504.0f); // largest finite half
        widens(0x0400, 0x1p-14f); // smallest normal
        widens(0x3BFF, 1 - 0x1p-11f);
    }

    @Test
    void widensZerosAndSubnormals() {
        widens(0x0000, 0.0f);
        widens(0x8000, -0.0f);
        widens(0x0001, 0x1p-24f); // smallest subnormal, 5.96e-8
        widens(0x8001, -0x1p-24f);
        widens(0x03FF, 1023 * 0x1p-24f); // largest subnormal
        widens(0x0200, 0x1p-15f);
    }

    @Test
    void widensInfinitiesAndNaN() {
        widens(0x7C00, Float.POSITIVE_INFINITY);
        widens(0xFC00, Float.NEGATIVE_INFINITY);
        assertTrue(Float.isNaN(Float16.toFloat(0x7E00)));
        assertTrue(Float.isNaN(Float16.toFloat(0x7C01))); // signalling NaN stays NaN, not infinity
        assertTrue(Float.isNaN(Float16.toFloat(0xFFFF)));
    }

    @Test
    void narrowsExactValues() {
        narrows(1.0f, 0x3C00);
        narrows(-2.0f, 0xC000);
        narrows(65504.0f, 0x7BFF);
        narrows(0x1p-14f, 0x0400);
        narrows(0x1p-24f, 0x0001);
        narrows(1023 * 0x1p-24f, 0x03FF);
        narrows(0.0f, 0x0000);
        narrows(-0.0f, 0x8000);
    }

    @Test
    void narrowsWithRoundHalfToEven() {
        narrows(1 + 0x1p-11f, 0x3C00); // halfway between 1 and 1+2^-10: even is 1
        narrows(1 + 3 * 0x1p-11f, 0x3C02); // halfway between 0x3C01 and 0x3C02: even is 0x3C02
        narrows(1 + 0x1p-11f + 0x1p-20f, 0x3C01); // just above halfway rounds up
        narrows(65519.0f, 0x7BFF); // below the midpoint to 65536
        narrows(65520.0f, 0x7C00); // the midpoint rounds to even: infinity
        narrows(1e10f, 0x7C00);
        narrows(-1e10f, 0xFC00);
    }

    @Test
    void narrowsIntoSubnormalsAndZero() {
        narrows(0x1p-25f, 0x0000); // half of the smallest subnormal ties to even zero
        narrows(3 * 0x1p-26f, 0x0001); // 0.75 of a unit rounds up
        narrows(0x1p-26f, 0x0000);
        narrows(-0x1p-26f, 0x8000); // sign of zero kept
        narrows(1.5f * 0x1p-24f, 0x0002); // 1.5 units ties to even 2
        narrows(2.5f * 0x1p-24f, 0x0002); // 2.5 units ties to even 2
        narrows(1023.5f * 0x1p-24f, 0x0400); // rounds up into the smallest normal
        narrows(Float.MIN_VALUE, 0x0000);
    }

    @Test
    void narrowsInfinityAndNaN() {
        narrows(Float.POSITIVE_INFINITY, 0x7C00);
        narrows(Float.NEGATIVE_INFINITY, 0xFC00);
        int nan = Float16.fromFloat(Float.NaN) & 0xFFFF;
        assertEquals(0x7C00, nan & 0x7C00);
        assertTrue((nan & 0x3FF) != 0, "NaN must not become infinity");
        // A NaN whose payload sits only in the low float bits must stay NaN.
        int tiny = Float16.fromFloat(Float.intBitsToFloat(0x7F800001)) & 0xFFFF;
        assertTrue((tiny & 0x3FF) != 0);
    }

    @Test
    void everyHalfValueRoundTrips() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = Float16.toFloat(bits);
            int back = Float16.fromFloat(f) & 0xFFFF;
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(Float16.toFloat(back)));
            } else {
                assertEquals(bits, back, String.format("0x%04x", bits));
            }
        }
    }

    @Test
    void bfloat16() {
        assertEquals(1.0f, Float16.bf16ToFloat(0x3F80));
        assertEquals(-2.0f, Float16.bf16ToFloat(0xC000));
        assertEquals(Float.POSITIVE_INFINITY, Float16.bf16ToFloat(0x7F80));
        assertTrue(Float.isNaN(Float16.bf16ToFloat(0x7FC0)));
        assertEquals(0x3F80, Float16.floatToBf16(1.0f) & 0xFFFF);
        assertEquals(0x3F80, Float16.floatToBf16(1 + 0x1p-8f) & 0xFFFF); // tie to even
        assertEquals(0x3F82, Float16.floatToBf16(1 + 3 * 0x1p-8f) & 0xFFFF); // tie to even (up)
        assertEquals(0x3F81, Float16.floatToBf16(1 + 0x1p-8f + 0x1p-16f) & 0xFFFF);
        assertEquals(0x7F80, Float16.floatToBf16(Float.MAX_VALUE) & 0xFFFF); // overflows to infinity
        int nan = Float16.floatToBf16(Float.intBitsToFloat(0x7F800001)) & 0xFFFF;
        assertTrue(Float.isNaN(Float16.bf16ToFloat(nan)));
    }
}
