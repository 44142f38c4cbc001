package io.djlint4.engine;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The Int4 engine: pure-Java CPU inference for LLaMA/Qwen-family models, with PyTorch as the
 * alternative engine for NDArray operations Int4 does not implement itself.
 */
public final class Int4Engine extends Engine {

    /** The engine name used with {@code Engine.getEngine} and {@code Criteria.optEngine}. */
    public static final String ENGINE_NAME = "Int4";

    /**
     * The system property that, when {@code true}, switches off the PyTorch fallback (checked
     * each time a manager is created).
     */
    public static final String DISABLE_ALTERNATIVE_PROPERTY = "ai.djl.int4.disable_alternative";

    /** The capability reported when the incubating Vector API module is available. */
    public static final String VECTOR_API_CAPABILITY = "VECTOR_API";

    /** Ranked above PyTorch (2) and Rust (4) so Int4 never becomes the default by accident. */
    static final int RANK = 10;

    private static final Logger logger = LoggerFactory.getLogger(Int4Engine.class);
    private static final String ALTERNATIVE_ENGINE = "PyTorch";
    private static final String VERSION_RESOURCE = "int4-engine.properties";

    private final Object alternativeLock = new Object();
    private volatile boolean alternativeResolved;
    private Engine alternativeEngine;

    /** Creates the engine; kept trivial because it runs inside the provider's class holder. */
    Int4Engine() {}

    /**
     * Returns PyTorch when it is registered, loadable and ranked before Int4; {@code null} when
     * it is not or when {@value #DISABLE_ALTERNATIVE_PROPERTY} is {@code true}.
     *
     * @return the alternative engine or {@code null}
     */
    @Override
    public Engine getAlternativeEngine() {
        if (Boolean.getBoolean(DISABLE_ALTERNATIVE_PROPERTY)) {
            return null;
        }
        if (!alternativeResolved) {
            synchronized (alternativeLock) {
                if (!alternativeResolved) {
                    alternativeEngine = findAlternative();
                    alternativeResolved = true;
                }
            }
        }
        return alternativeEngine;
    }

    /** {@inheritDoc} */
    @Override
    public String getEngineName() {
        return ENGINE_NAME;
    }

    /** {@inheritDoc} */
    @Override
    public int getRank() {
        return RANK;
    }

    /**
     * Returns the djl-int4 project version this engine was built from.
     *
     * @return the version
     */
    @Override
    public String getVersion() {
        return VersionHolder.VERSION;
    }

    /**
     * Reports no CUDA (or other native) capability; reports {@value #VECTOR_API_CAPABILITY}
     * when {@code jdk.incubator.vector} is in the boot layer.
     *
     * @param capability the capability name
     * @return whether the engine has it
     */
    @Override
    public boolean hasCapability(String capability) {
        if (VECTOR_API_CAPABILITY.equals(capability)) {
            return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        }
        return false;
    }

    /** {@inheritDoc} */
    @Override
    public Model newModel(String name, Device device) {
        return new Int4Model(name, newBaseManager(device));
    }

    /** {@inheritDoc} */
    @Override
    public NDManager newBaseManager() {
        return Int4NDManager.getSystemManager().newSubManager();
    }

    /** {@inheritDoc} */
    @Override
    public NDManager newBaseManager(Device device) {
        return Int4NDManager.getSystemManager().newSubManager(device);
    }

    private Engine findAlternative() {
        if (!Engine.hasEngine(ALTERNATIVE_ENGINE)) {
            logger.info(
                    "{} is not on the classpath: Int4 runs without a fallback engine",
                    ALTERNATIVE_ENGINE);
            return null;
        }
        try {
            Engine engine = Engine.getEngine(ALTERNATIVE_ENGINE);
            if (engine == this || engine.getRank() >= RANK) {
                return null;
            }
            return engine;
        } catch (RuntimeException | LinkageError e) {
            logger.warn(
                    "{} failed to load: Int4 runs without a fallback engine",
                    ALTERNATIVE_ENGINE,
                    e);
            return null;
        }
    }

    /** Reads the build-time version once, on first request. */
    private static final class VersionHolder {

        static final String VERSION = readVersion();

        private static String readVersion() {
            try (InputStream is = Int4Engine.class.getResourceAsStream(VERSION_RESOURCE)) {
                if (is == null) {
                    throw new IllegalStateException("Missing resource " + VERSION_RESOURCE);
                }
                Properties properties = new Properties();
                properties.load(is);
                return properties.getProperty("version");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
