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

    static Bf16Dot bf16Dot() {
        return new VectorBf16Dot();
    }

    static RowQuantizer rowQuantizer() {
        return new VectorRowQuantizer();
    }

    static TileKernels tileKernels() {
        return new VectorTileKernels();
    }

    static int tileWidth() {
        return VectorTileKernels.WIDTH;
    }

    static Fp4RowRounder fp4RowRounder() {
        return new VectorFp4RowRounder();
    }

    static Butterflies butterflies() {
        return new VectorButterflies();
    }
}
