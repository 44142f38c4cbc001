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
import java.util.Random;

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
    private final Random random = new Random();

    /** Creates the engine; kept trivial because it runs inside the provider's class holder. */
    Int4Engine() {}

    /**
     * Returns {@code null}: DJL's manager constructor creates the alternative engine's manager
     * eagerly, which would load PyTorch's native library on every run although generation never
     * needs it. Int4 managers instead hold a stand-in that loads PyTorch on the first operation
     * Int4 does not implement; {@link #fallbackEngine()} is the engine it then uses.
     *
     * @return {@code null}
     */
    @Override
    public Engine getAlternativeEngine() {
        return null;
    }

    /**
     * Returns PyTorch when it is registered, loadable and ranked before Int4, loading it on the
     * first call; {@code null} when it is not or when {@value #DISABLE_ALTERNATIVE_PROPERTY} is
     * {@code true}.
     *
     * @return the engine that runs the operations Int4 does not implement, or {@code null}
     */
    public Engine fallbackEngine() {
        if (!isFallbackEnabled()) {
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

    /**
     * Returns whether {@link #fallbackEngine()} may find an engine: the fallback is not switched
     * off and PyTorch's engine provider is on the class path (checked without loading PyTorch).
     *
     * @return whether operations Int4 does not implement can fall back
     */
    static boolean isFallbackEnabled() {
        return !Boolean.getBoolean(DISABLE_ALTERNATIVE_PROPERTY) && Engine.hasEngine(ALTERNATIVE_ENGINE);
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

    /**
     * Creates an empty Int4 model on the CPU.
     *
     * @param name the model name
     * @param device the device, {@code null} or a CPU
     * @return the model
     * @throws IllegalArgumentException for any other device
     */
    @Override
    public Model newModel(String name, Device device) {
        return new Int4Model(name, newBaseManager(device));
    }

    /** {@inheritDoc} */
    @Override
    public NDManager newBaseManager() {
        return Int4NDManager.getSystemManager().newSubManager();
    }

    /**
     * Creates a manager on the CPU.
     *
     * @param device the device, {@code null} or a CPU
     * @return the manager
     * @throws IllegalArgumentException for any other device: Int4 computes on the CPU only
     */
    @Override
    public NDManager newBaseManager(Device device) {
        if (device != null && !Device.Type.CPU.equals(device.getDeviceType())) {
            throw new IllegalArgumentException("Int4 runs on the CPU only, not on " + device
                    + ": drop Criteria.optDevice or pass Device.cpu()");
        }
        return Int4NDManager.getSystemManager().newSubManager(device);
    }

    /**
     * Seeds the random numbers of {@code NDManager.randomNormal}, {@code randomUniform} and
     * {@code randomInteger} on Int4 managers (the sequence then repeats from run to run).
     *
     * @param seed the seed
     */
    @Override
    public void setRandomSeed(int seed) {
        super.setRandomSeed(seed);
        random.setSeed(seed);
    }

    /** The generator behind the random arrays of every Int4 manager (thread-safe). */
    Random random() {
        return random;
    }

    private Engine findAlternative() {
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
