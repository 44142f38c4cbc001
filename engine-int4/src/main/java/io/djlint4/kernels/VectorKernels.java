package io.djlint4.kernels;

/**
 * Creates the Vector API implementations. Kept separate so that classes referring to {@code
 * jdk.incubator.vector} are loaded only after {@link VectorSupport} said the module is present.
 */
final class VectorKernels {

    private VectorKernels() {}

    static FloatDot floatDot() {
        return new VectorFloatDot();
    }
}
