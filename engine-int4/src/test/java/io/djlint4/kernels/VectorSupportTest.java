package io.djlint4.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import io.djlint4.engine.Int4Engine;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A JVM without {@code jdk.incubator.vector} gets one warning naming the flag (decided once, in
 * the class initializer); with the module, the engine reports the {@code VECTOR_API} capability.
 */
class VectorSupportTest {

    @Test
    void aMissingModuleIsWarnedAboutNamingTheFlag() {
        String warning = VectorSupport.missingModuleWarning(false, false).orElseThrow();
        assertTrue(warning.contains("--add-modules jdk.incubator.vector"), warning);
        assertEquals(Optional.empty(), VectorSupport.missingModuleWarning(true, false));
        assertEquals(Optional.empty(), VectorSupport.missingModuleWarning(false, true), "scalar asked for");
    }

    @Test
    void theEngineReportsTheVectorApiCapability() {
        // the surefire configuration adds the module (the kernels-scalar run only stops its use)
        assertTrue(Engine.getEngine("Int4").hasCapability(Int4Engine.VECTOR_API_CAPABILITY));
    }
}
