package io.djlint4.kernels.gguf;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fixed 8-lane shapes of the kernels that spell a block out (8 code bytes widened to 8 int or
 * float lanes), as constants C2 sees without a call. Only loaded when {@link VectorPath#ENABLED}
 * is true and the float species has 8 lanes.
 */
final class Lanes8 {

    /** Eight code bytes. */
    static final VectorSpecies<Byte> B = ByteVector.SPECIES_64;

    /** Eight int lanes. */
    static final VectorSpecies<Integer> I = IntVector.SPECIES_256;

    /** Eight float lanes. */
    static final VectorSpecies<Float> F = FloatVector.SPECIES_256;

    private Lanes8() {}
}
