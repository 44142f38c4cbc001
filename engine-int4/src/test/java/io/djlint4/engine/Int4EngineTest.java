package io.djlint4.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.ndarray.NDManager;
import io.djlint4.checkpoint.CheckpointFormatException;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

/** The engine is registered, ranked, versioned and wired to PyTorch as described in the guide. */
class Int4EngineTest {

    @Test
    void isRegisteredUnderItsName() {
        assertTrue(Engine.getAllEngines().contains("Int4"));
        Engine engine = Engine.getEngine("Int4");
        assertInstanceOf(Int4Engine.class, engine);
        assertSame(engine, Engine.getEngine("Int4"), "one engine instance");
        assertEquals("Int4", engine.getEngineName());
        assertEquals(10, engine.getRank());
        assertThrows(IllegalArgumentException.class, () -> Engine.getEngine("int4"));
    }

    @Test
    void neverBecomesTheDefaultEngine() {
        assertNotEquals("Int4", Engine.getInstance().getEngineName());
        assertTrue(Engine.getEngine("PyTorch").getRank() < Engine.getEngine("Int4").getRank());
    }

    @Test
    void reportsTheProjectVersion() {
        String version = Engine.getEngine("Int4").getVersion();
        assertTrue(version.matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), version);
    }

    @Test
    void hasNoCudaButReportsTheVectorApi() {
        Engine engine = Engine.getEngine("Int4");
        assertFalse(engine.hasCapability(StandardCapabilities.CUDA));
        assertFalse(engine.hasCapability(StandardCapabilities.MKL));
        assertEquals(Device.cpu(), engine.defaultDevice());
        assertEquals(0, engine.getGpuCount());
        // the surefire configuration adds jdk.incubator.vector to the boot layer
        assertTrue(engine.hasCapability(Int4Engine.VECTOR_API_CAPABILITY));
    }

    @Test
    void loadsPyTorchOnlyWhenAnOperationNeedsItUnlessDisabled() {
        Int4Engine engine = (Int4Engine) Engine.getEngine("Int4");
        assertNull(engine.getAlternativeEngine(), "DJL's manager constructor must not load PyTorch");
        try (Int4NDManager manager = (Int4NDManager) engine.newBaseManager()) {
            manager.create(new float[] {1, 2}).add(1).softmax(0).toFloatArray();
            assertFalse(manager.hasUsedFallback(), "native operations leave PyTorch alone");
            manager.create(new float[] {1, 2}).sin();
            assertTrue(manager.hasUsedFallback());
        }
        Engine alternative = engine.fallbackEngine();
        assertEquals("PyTorch", alternative.getEngineName());
        assertSame(alternative, engine.fallbackEngine(), "memoised");
        System.setProperty(Int4Engine.DISABLE_ALTERNATIVE_PROPERTY, "true");
        try {
            assertNull(engine.fallbackEngine());
            try (Int4NDManager manager = (Int4NDManager) engine.newBaseManager()) {
                assertNull(manager.alternativeManager());
            }
        } finally {
            System.clearProperty(Int4Engine.DISABLE_ALTERNATIVE_PROPERTY);
        }
        assertSame(alternative, engine.fallbackEngine());
    }

    @Test
    void refusesAGpuNamingTheCpu() {
        Engine engine = Engine.getEngine("Int4");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> engine.newModel("m", Device.gpu()));
        assertTrue(e.getMessage().contains("Int4 runs on the CPU only"), e.getMessage());
    }

    @Test
    void createsInt4ManagersAndModels() {
        Engine engine = Engine.getEngine("Int4");
        try (NDManager manager = NDManager.newBaseManager("Int4")) {
            assertInstanceOf(Int4NDManager.class, manager);
            assertSame(Int4NDManager.getSystemManager(), manager.getParentManager());
            assertSame(engine, manager.getEngine());
            assertEquals(Device.cpu(), manager.getDevice());
        }
        try (Model model = Model.newInstance("m", Device.cpu(), "Int4")) {
            assertInstanceOf(Int4Model.class, model);
            assertInstanceOf(Int4NDManager.class, model.getNDManager());
            CheckpointFormatException e =
                    assertThrows(
                            CheckpointFormatException.class,
                            () -> model.load(Path.of("."), null, Map.of()));
            assertTrue(e.getMessage().contains("no checkpoint found"), e.getMessage());
        }
    }
}
