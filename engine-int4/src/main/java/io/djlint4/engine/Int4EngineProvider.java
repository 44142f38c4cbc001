package io.djlint4.engine;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineProvider;

/** Registers the Int4 engine with DJL's {@code ServiceLoader} lookup. */
public class Int4EngineProvider implements EngineProvider {

    /** {@inheritDoc} */
    @Override
    public String getEngineName() {
        return Int4Engine.ENGINE_NAME;
    }

    /** {@inheritDoc} */
    @Override
    public int getEngineRank() {
        return Int4Engine.RANK;
    }

    /** {@inheritDoc} */
    @Override
    public Engine getEngine() {
        return InstanceHolder.INSTANCE;
    }

    /** Creates the engine on first use (the holder idiom keeps that lazy and thread-safe). */
    private static final class InstanceHolder {
        static final Engine INSTANCE = new Int4Engine();
    }
}
