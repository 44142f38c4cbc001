package io.djlint4.checkpoint;

/**
 * Conversions between {@code float} and the two 16-bit float formats found in checkpoints: IEEE
 * 754 binary16 ("half", F16) and bfloat16 (BF16). JDK 17 has no {@code Float.float16ToFloat}; these
 * follow the semantics of JDK 20's {@code Float.float16ToFloat} / {@code floatToFloat16}: exact
 * widening including subnormals, infinities and NaN, and round-to-nearest-even narrowing.
 */
public final class Float16 {

    private Float16() {}

    /**
     * Widens an IEEE binary16 value to float. Every half value, subnormals included, is exactly
     * representable as a float.
     *
     * @param bits the half bits in the low 16 bits (higher bits are ignored)
     * @return the float value
     */
    public static float toFloat(int bits) {
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0x1F) {
            // Infinity or NaN; NaN keeps its payload shifted into the float mantissa.
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            // Subnormal: mant * 2^-24, exact in float.
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /**
     * Narrows a float to IEEE binary16, rounding to nearest with ties to even. Values too large
     * become infinity, values too small become (signed) zero or a subnormal, NaN stays NaN.
     *
     * @param f the value
     * @return the half bits in the low 16 bits
     */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xFF;
        int mant = bits & 0x7FFFFF;
        if (exp == 0xFF) {
            if (mant == 0) {
                return (short) (sign | 0x7C00);
            }
            // Keep the top payload bits and force a quiet NaN so the result is never infinity.
            return (short) (sign | 0x7C00 | 0x200 | (mant >>> 13));
        }
        int e = exp - 127 + 15; // half exponent field if normal
        if (e >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (e <= 0) {
            // Result is subnormal or zero: value = (1.mant) * 2^(exp-127); half subnormal unit 2^-24.
            if (e < -10) {
                // Below half of the smallest subnormal (2^-25): rounds to zero. Exactly 2^-25 ties to
                // even (zero) as well, which e < -10 covers since 2^-25 has e = -10.
                return (short) sign;
            }
            int m = mant | 0x800000; // 24-bit significand
            int shift = 14 - e; // m * 2^(exp-150) / 2^-24 = m >> (126 - exp) = m >> (14 - e)
            int q = m >>> shift;
            int rem = m & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rem > halfway || (rem == halfway && (q & 1) != 0)) {
                q++; // may carry into the smallest normal, which is the correct encoding
            }
            return (short) (sign | q);
        }
        int q = (e << 10) | (mant >>> 13);
        int rem = mant & 0x1FFF;
        if (rem > 0x1000 || (rem == 0x1000 && (q & 1) != 0)) {
            q++; // may carry into the exponent, up to infinity, which is correct
        }
        return (short) (sign | q);
    }

    /**
     * Widens a bfloat16 value to float (exact: bfloat16 is the top half of a float).
     *
     * @param bits the bfloat16 bits in the low 16 bits (higher bits are ignored)
     * @return the float value
     */
    public static float bf16ToFloat(int bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /**
     * Narrows a float to bfloat16, rounding to nearest with ties to even; NaN stays NaN.
     *
     * @param f the value
     * @return the bfloat16 bits in the low 16 bits
     */
    public static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7F800000) == 0x7F800000 && (bits & 0x7FFFFF) != 0) {
            return (short) ((bits >>> 16) | 0x40); // quiet NaN, never rounded into infinity
        }
        int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }
}
