package io.djlint4.kernels.gguf;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector shapes the block kernels share: float and int vectors of the preferred width, and
 * loads of as many bytes as they have lanes, widened to ints. Only loaded when {@link
 * VectorPath#ENABLED} is true.
 */
final class BlockLanes {

    /**
     * The float species: 256 bits wherever the CPU has them (AVX2 and AVX-512 alike), so a block
     * of 32 values is four vectors and the kernels can spell each block out without an inner loop,
     * which JDK 17's C2 compiles far better (measured 1.5-2x on Q4_1 rows); the preferred width
     * on narrower CPUs.
     */
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256
            ? FloatVector.SPECIES_256
            : FloatVector.SPECIES_PREFERRED;

    /**
     * Whether the CPU has 512-bit vectors. There the one-token products of the commonest types run
     * sixteen lanes, a block of 32 in two vectors ({@link #F16}), which halves the instructions per
     * block (measured 1.3-1.5x on one thread, Q4_0 and Q4_1 rows of 576).
     */
    static final boolean WIDE = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512;

    /** Sixteen float lanes, used only when {@link #WIDE}. */
    static final VectorSpecies<Float> F16 = FloatVector.SPECIES_512;

    /** Sixteen int lanes, used only when {@link #WIDE}. */
    static final VectorSpecies<Integer> I16 = IntVector.SPECIES_512;

    /** Sixteen bytes, widened to {@link #I16} or {@link #F16}. */
    static final VectorSpecies<Byte> B16 = ByteVector.SPECIES_128;

    /** Int lanes of the same shape, one per float lane. */
    static final VectorSpecies<Integer> I = F.withLanes(int.class);

    /** Lanes per vector. */
    static final int L = F.length();

    /** Whether a block of 32 values splits into whole vectors; see {@link VectorPath#ENABLED}. */
    static final boolean FITS = L <= 16;

    /** Lane indices {@code 0 .. L-1}, for per-lane shift counts. */
    static final IntVector IOTA = IntVector.zero(I).addIndex(1);

    /**
     * L code bytes (no byte vector is narrower than 64 bits, so below 8 lanes a load is masked to
     * the first L).
     */
    static final VectorSpecies<Byte> B =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, L * Byte.SIZE)));

    private static final VectorMask<Byte> FIRST_L = B.indexInRange(0, L);

    private BlockLanes() {}

    /**
     * Loads {@code L} signed bytes and widens them to int lanes.
     *
     * @param a the bytes
     * @param off the index of the first
     * @return lane {@code k} holds {@code a[off + k]}
     */
    static IntVector ints(byte[] a, int off) {
        ByteVector b = B.length() == L ? ByteVector.fromArray(B, a, off) : ByteVector.fromArray(B, a, off, FIRST_L);
        return (IntVector) b.convertShape(VectorOperators.B2I, I, 0);
    }

    /**
     * Returns the low nibbles of code bytes widened to int lanes: values {@code c .. c + L - 1} of
     * a block whose 16 code bytes hold values {@code j} and {@code 16 + j} in byte {@code j}.
     *
     * @param q code bytes {@code qs[c .. c + L - 1]}, as from {@link #ints(byte[], int)}
     * @return codes 0..15
     */
    static IntVector lowNibbles(IntVector q) {
        return q.and(0xF);
    }

    /**
     * Returns the high nibbles of code bytes widened to int lanes: values {@code 16 + c .. 16 + c +
     * L - 1} of such a block.
     *
     * @param q code bytes {@code qs[c .. c + L - 1]}, as from {@link #ints(byte[], int)}
     * @return codes 0..15
     */
    static IntVector highNibbles(IntVector q) {
        return q.lanewise(VectorOperators.LSHR, 4).and(0xF);
    }

    /**
     * Converts int lanes to float lanes (exact for the small integers of block codes and their
     * in-block sums, which stay below 2^24).
     *
     * @param v the ints
     * @return the floats
     */
    static FloatVector floats(IntVector v) {
        return (FloatVector) v.convert(VectorOperators.I2F, 0);
    }

    /**
     * Widens part {@code part} of a 16-lane byte vector to float lanes: lanes {@code part·L ..
     * part·L + L - 1}.
     *
     * @param b sixteen signed bytes
     * @param part which L of them
     * @return the floats
     */
    static FloatVector floats(ByteVector b, int part) {
        return (FloatVector) b.convertShape(VectorOperators.B2F, F, part);
    }

    /**
     * Widens part {@code part} of a 16-lane byte vector to int lanes, as {@link #floats(ByteVector,
     * int)}.
     *
     * @param b sixteen signed bytes
     * @param part which L of them
     * @return the ints
     */
    static IntVector ints(ByteVector b, int part) {
        return (IntVector) b.convertShape(VectorOperators.B2I, I, part);
    }
}
