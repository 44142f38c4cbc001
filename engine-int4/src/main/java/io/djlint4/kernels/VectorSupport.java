package io.djlint4.kernels;

/**
 * Decides once per JVM whether kernels use the {@code jdk.incubator.vector} module. The module is
 * only resolved when the JVM was started with {@code --add-modules jdk.incubator.vector}; without it
 * every kernel runs its scalar path, which gives the same results.
 */
public final class VectorSupport {

    /** Set to {@code true} to force the scalar kernels even when the module is present. */
    public static final String DISABLE_PROPERTY = "int4.vector.disable";

    private static final boolean AVAILABLE = detect();

    private VectorSupport() {}

    private static boolean detect() {
        if (Boolean.getBoolean(DISABLE_PROPERTY)) {
            return false;
        }
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /**
     * Returns whether the Vector API kernels are in use.
     *
     * @return {@code true} when vector kernels run
     */
    public static boolean isAvailable() {
        return AVAILABLE;
    }
}
