package io.djlint4.cli;

import io.djlint4.engine.Int4Engine;
import io.djlint4.kernels.KernelThreads;
import io.djlint4.kernels.VectorSupport;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The line {@code int4 --version} prints: the build, the JVM and what the kernels will use. */
final class VersionText {

    private static final String RESOURCE = "int4-engine.properties";

    private VersionText() {}

    /**
     * Describes this build and runtime.
     *
     * @return one line, ending with a newline
     */
    static String line() {
        return "int4 " + version() + " (Java " + Runtime.version() + ", Vector API "
                + (VectorSupport.isAvailable() ? "on" : "off") + ", " + KernelThreads.threads() + " threads)\n";
    }

    private static String version() {
        // read as a resource: Int4Engine itself would start DJL's engine discovery
        try (InputStream is = Int4Engine.class.getResourceAsStream(RESOURCE)) {
            if (is == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(is);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
