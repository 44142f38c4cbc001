package io.djlint4.kernels.gguf;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The species the K-quant vector kernels share. Codes are loaded as bytes, {@link #BYTE_LANES} at
 * a time, widened to int lanes (where nibbles and bit fields are cut out with native shifts, which
 * byte lanes lack on x86) and converted to float lanes of the preferred species, so {@link
 * io.djlint4.kernels.VectorLaneSum} can sum them. A byte vector is at least 64 bits, so with four
 * float lanes one load feeds two parts. Only loaded when {@link
 * io.djlint4.kernels.VectorSupport#isAvailable()} is true.
 */
final class KVectors {

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int LANES = F.length();
    static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    static final VectorSpecies<Byte> B =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, LANES * 8)));
    static final int BYTE_LANES = B.length();
    static final int PARTS = BYTE_LANES / LANES;

    /**
     * Whether the kernels fit the preferred species: a byte load must stay inside one Q6_K
     * sub-block of 16, so at most 16 lanes (AVX-512); other widths run the scalar references.
     */
    static final boolean USABLE = LANES >= 4 && LANES <= 16 && I.length() == LANES;

    private KVectors() {}

    /** Loads {@link #BYTE_LANES} bytes. */
    static ByteVector bytes(byte[] b, int off) {
        return ByteVector.fromArray(B, b, off);
    }
}
