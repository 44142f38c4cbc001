package io.djlint4.zoo;

import ai.djl.repository.MRL;
import ai.djl.repository.zoo.BaseModelLoader;

/**
 * Loads one local model with DJL's usual steps ({@code serving.properties}, arguments, options,
 * engine choice), but with {@link Int4TranslatorFactory} as the default factory, so {@code String
 * -> String} and {@code NDList -> CausalLMOutput} work without a translator argument. A factory
 * given in the {@code Criteria} or the {@code translatorFactory} argument still wins.
 */
public class Int4ModelLoader extends BaseModelLoader {

    /**
     * Creates the loader.
     *
     * @param mrl the model's resource locator (a local repository)
     */
    public Int4ModelLoader(MRL mrl) {
        super(mrl);
        defaultFactory = new Int4TranslatorFactory();
    }
}
