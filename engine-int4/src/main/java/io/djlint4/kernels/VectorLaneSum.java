package io.djlint4.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Sums the lanes of a float vector in lane order, {@code ((v0 + v1) + v2) + …}, so a forward pass
 * gives the same logits every time. {@code reduceLanes(ADD)} leaves the order open: JDK 17
 * compiles it in lane order, as its interpreted form runs, but JDK 25 compiles a tree, and there
 * every compiled forward pass of stories260K differed from the first (JDK 17: 200 of 200
 * identical). So only JDK 17 keeps the intrinsic; elsewhere the lanes are added one by one, the
 * same in every tier (on JDK 25 the one-token 49152×576 float and bfloat16 products measured
 * 1.1–1.4× slower for it). Only loaded when {@link
 * VectorSupport#isAvailable()} is true.
 */
public final class VectorLaneSum {

    private static final boolean INTRINSIC_IN_LANE_ORDER = Runtime.version().feature() == 17;

    private VectorLaneSum() {}

    /**
     * Returns the sum of the lanes.
     *
     * @param v a vector of any species
     * @return the sum, in lane order
     */
    public static float sum(FloatVector v) {
        if (INTRINSIC_IN_LANE_ORDER) {
            return v.reduceLanes(VectorOperators.ADD);
        }
        float s = v.lane(0);
        for (int i = 1; i < v.length(); i++) {
            s += v.lane(i);
        }
        return s;
    }
}
