package io.djlint4.quant.saved;

/**
 * Packs integer weight codes of at most 4 bits two per byte: code {@code 2i} in the low nibble of
 * byte {@code i}, code {@code 2i+1} in the high nibble, each stored as {@code code - minCode} so
 * symmetric grids (codes from {@code -2^(b-1)}) and asymmetric ones (from 0) both fit. 3-bit codes
 * are packed the same way, one per nibble.
 */
final class PackedNibbles {

    private PackedNibbles() {}

    /**
     * Returns the packed size of a number of codes.
     *
     * @param count the number of codes
     * @return {@code ceil(count / 2)}
     */
    static int packedLength(long count) {
        return (int) ((count + 1) / 2);
    }

    /**
     * Packs codes.
     *
     * @param codes one code per byte
     * @param minCode the smallest code of the grid
     * @return the packed bytes
     * @throws IllegalArgumentException if a code does not fit a nibble above {@code minCode}
     */
    static byte[] pack(byte[] codes, int minCode) {
        byte[] packed = new byte[packedLength(codes.length)];
        for (int i = 0; i < codes.length; i++) {
            int v = codes[i] - minCode;
            if (v < 0 || v > 15) {
                throw new IllegalArgumentException("code " + codes[i] + " at " + i + " does not fit 4 bits above " + minCode);
            }
            packed[i >> 1] |= (byte) ((i & 1) == 0 ? v : v << 4);
        }
        return packed;
    }

    /**
     * Unpacks codes.
     *
     * @param packed the packed bytes, {@link #packedLength} of {@code count}
     * @param count the number of codes
     * @param minCode the smallest code of the grid
     * @return one code per byte
     */
    static byte[] unpack(byte[] packed, int count, int minCode) {
        byte[] codes = new byte[count];
        for (int i = 0; i < count; i++) {
            int b = packed[i >> 1];
            codes[i] = (byte) (((i & 1) == 0 ? b & 0xF : (b >> 4) & 0xF) + minCode);
        }
        return codes;
    }
}
