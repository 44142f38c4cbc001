package io.djlint4.kernels;

import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * Decides once per JVM whether kernels use the {@code jdk.incubator.vector} module. The module is
 * only resolved when the JVM was started with {@code --add-modules jdk.incubator.vector}; without it
 * every kernel runs its scalar path, which gives the same results about twice as slowly, so that
 * case logs one warning.
 */
public final class VectorSupport {

    /** Set to {@code true} to force the scalar kernels even when the module is present. */
    public static final String DISABLE_PROPERTY = "int4.vector.disable";

    private static final boolean AVAILABLE = detect();

    private VectorSupport() {}

    private static boolean detect() {
        boolean disabled = Boolean.getBoolean(DISABLE_PROPERTY);
        boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        // the logger is only asked for when needed: without an SLF4J binding it prints its own notice
        missingModuleWarning(present, disabled).ifPresent(w -> LoggerFactory.getLogger(VectorSupport.class).warn(w));
        return present && !disabled;
    }

    /**
     * Returns the warning for a JVM without the module; none when it is present or the scalar
     * kernels were asked for.
     *
     * @param present whether {@code jdk.incubator.vector} is in the boot layer
     * @param disabled whether {@value #DISABLE_PROPERTY} is set
     * @return the warning text, if any
     */
    static Optional<String> missingModuleWarning(boolean present, boolean disabled) {
        if (present || disabled) {
            return Optional.empty();
        }
        return Optional.of("jdk.incubator.vector is not available: Int4 runs its scalar kernels, about 2x slower;"
                + " start the JVM with --add-modules jdk.incubator.vector");
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
