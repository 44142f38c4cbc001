package io.djlint4.kernels.gguf;

/**
 * The five-bit codes of {@code Q5_0} and {@code Q5_1}: the low four bits in the nibbles of {@code
 * qs[16]} as in the 4-bit types, the fifth bit of value {@code k} in bit {@code k} of the
 * little-endian word {@code qh}.
 */
final class Q5Codes {

    private Q5Codes() {}

    /** Value {@code j < 16}: the low nibble of its code byte {@code q}, bit {@code j} of {@code qh} above it. */
    static int low(int q, int qh, int j) {
        return (q & 0xF) | (qh >>> j & 1) << 4;
    }

    /** Value {@code 16 + j}: the high nibble of its code byte {@code q}, bit {@code 16 + j} of {@code qh} above it. */
    static int high(int q, int qh, int j) {
        return (q >>> 4) | (qh >>> (16 + j) & 1) << 4;
    }
}
