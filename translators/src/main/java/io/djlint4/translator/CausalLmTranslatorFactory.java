package io.djlint4.translator;

import ai.djl.Model;
import ai.djl.modality.nlp.generate.CausalLMOutput;
import ai.djl.ndarray.NDList;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Set;

/**
 * Creates {@link CausalLmTranslator}s. The layer count comes from the {@code numLayers} argument,
 * else the model's {@code numLayers} property (set by the Int4 engine), else {@code
 * num_hidden_layers} in the model directory's config.json.
 */
public class CausalLmTranslatorFactory implements TranslatorFactory {

    private static final Set<Pair<Type, Type>> SUPPORTED =
            Collections.singleton(new Pair<>(NDList.class, CausalLMOutput.class));

    /** Creates the factory; public and argument-free so DJL can instantiate it by class name. */
    public CausalLmTranslatorFactory() {}

    @Override
    public Set<Pair<Type, Type>> getSupportedTypes() {
        return SUPPORTED;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <I, O> Translator<I, O> newInstance(
            Class<I> input, Class<O> output, Model model, Map<String, ?> arguments)
            throws TranslateException {
        if (!isSupported(input, output)) {
            throw new IllegalArgumentException(
                    "CausalLmTranslatorFactory makes NDList -> CausalLMOutput translators, not "
                            + input.getSimpleName()
                            + " -> "
                            + output.getSimpleName());
        }
        return (Translator<I, O>) new CausalLmTranslator(numLayers(model, arguments));
    }

    private static int numLayers(Model model, Map<String, ?> arguments) throws TranslateException {
        Object arg = arguments == null ? null : arguments.get("numLayers");
        if (arg != null) {
            return parse(arg.toString(), "argument numLayers");
        }
        String prop = model.getProperty("numLayers");
        if (prop != null) {
            return parse(prop, "model property numLayers");
        }
        Path config = model.getModelPath().resolve("config.json");
        if (Files.isRegularFile(config)) {
            try (Reader r = Files.newBufferedReader(config)) {
                JsonObject json = JsonParser.parseReader(r).getAsJsonObject();
                if (json.has("num_hidden_layers")) {
                    return json.get("num_hidden_layers").getAsInt();
                }
            } catch (IOException | RuntimeException e) {
                throw new TranslateException("cannot read num_hidden_layers from " + config, e);
            }
        }
        throw new TranslateException(
                "cannot tell the number of layers of model "
                        + model.getName()
                        + ": pass the numLayers argument or give the model a config.json");
    }

    private static int parse(String value, String what) throws TranslateException {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new TranslateException(what + " is not an integer: '" + value + "'", e);
        }
    }
}
