package io.djlint4.engine;

import ai.djl.BaseModel;
import ai.djl.ndarray.NDManager;

import java.nio.file.Path;
import java.util.Map;

/** A model of the Int4 engine (placeholder until the model loader lands). */
public class Int4Model extends BaseModel {

    /**
     * Creates an empty model.
     *
     * @param name the model name
     * @param manager the model's manager
     */
    Int4Model(String name, NDManager manager) {
        super(name);
        this.manager = manager;
    }

    /** {@inheritDoc} */
    @Override
    public void load(Path modelPath, String prefix, Map<String, ?> options) {
        throw new UnsupportedOperationException("not yet");
    }
}
