package io.djlint4.zoo;

import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooProvider;

/** Registers {@link Int4ModelZoo} with DJL (through {@code META-INF/services}). */
public class Int4ZooProvider implements ZooProvider {

    /** Creates the provider; DJL instantiates it through the service loader. */
    public Int4ZooProvider() {}

    @Override
    public ModelZoo getModelZoo() {
        return new Int4ModelZoo();
    }
}
