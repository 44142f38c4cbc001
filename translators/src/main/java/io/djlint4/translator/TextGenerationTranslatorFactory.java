package io.djlint4.translator;

import ai.djl.Model;
import ai.djl.inference.streaming.ChunkedBytesSupplier;
import ai.djl.modality.nlp.generate.CausalLMOutput;
import ai.djl.ndarray.NDList;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
import io.djlint4.tokenizer.ByteLevelBpeTokenizer;
import io.djlint4.tokenizer.ChatTemplate;
import io.djlint4.tokenizer.ChatTemplateDetector;
import io.djlint4.tokenizer.Llama2cTokenizer;
import io.djlint4.tokenizer.TextTokenizer;
import io.djlint4.tokenizer.TokenizerFiles;
import io.djlint4.tokenizer.TokenizerNotFoundException;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Creates {@link TextGenerationTranslator}s ({@code String -> String}), {@link
 * TextChunksTranslator}s ({@code String -> ChunkedBytesSupplier}, for {@code
 * Predictor.streamingPredict}) and, for DJL's {@code TextGenerator}, {@link CausalLmTranslator}s
 * ({@code NDList -> CausalLMOutput}).
 *
 * <p>The tokenizer is the file named by the {@code tokenizer} argument (relative to the model
 * directory, and inside it), else {@code tokenizer.json} in the model directory, else the llama2.c tokenizer
 * ({@code tokenizer.bin} or the only {@code tok*.bin}) beside the checkpoint named by the model
 * property {@code checkpoint}, or in the model directory. The chat template comes from {@code
 * tokenizer_config.json} in the model directory. Subclasses can add sources (such as tokenizer
 * metadata inside a checkpoint) by overriding {@link #loadTokenizer} and {@link #loadChatTemplate}.
 * Generation settings are read by {@link GenerationArguments} from the arguments, then the model
 * properties; the context length is the model property {@code maxPositionEmbeddings}, when an
 * engine publishes it. EOS ids are the tokenizer's, those of the model property {@code eosTokenIds}, and the
 * chat template's end-of-turn tokens.
 */
public class TextGenerationTranslatorFactory implements TranslatorFactory {

    private static final Set<Pair<Type, Type>> SUPPORTED = Set.of(
            new Pair<>(String.class, String.class),
            new Pair<>(String.class, ChunkedBytesSupplier.class),
            new Pair<>(NDList.class, CausalLMOutput.class));

    /** Creates the factory; public and argument-free so DJL can instantiate it by class name. */
    public TextGenerationTranslatorFactory() {}

    @Override
    public Set<Pair<Type, Type>> getSupportedTypes() {
        return SUPPORTED;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <I, O> Translator<I, O> newInstance(Class<I> input, Class<O> output, Model model, Map<String, ?> arguments)
            throws TranslateException {
        if (input == NDList.class && output == CausalLMOutput.class) {
            return new CausalLmTranslatorFactory().newInstance(input, output, model, arguments);
        }
        if (input == String.class && output == ChunkedBytesSupplier.class) {
            return (Translator<I, O>) newTextTranslator(model, arguments).chunked();
        }
        if (input != String.class || output != String.class) {
            throw new IllegalArgumentException(getClass().getSimpleName()
                    + " makes String -> String, String -> ChunkedBytesSupplier and NDList -> CausalLMOutput"
                    + " translators, not " + input.getSimpleName() + " -> " + output.getSimpleName());
        }
        return (Translator<I, O>) newTextTranslator(model, arguments);
    }

    /**
     * Creates the {@code String -> String} translator for a loaded model.
     *
     * @param model the loaded model
     * @param arguments the translator arguments, possibly {@code null}
     * @return the translator
     * @throws TranslateException when the tokenizer or chat template cannot be found or read
     * @throws IllegalArgumentException when an argument is invalid, or {@code chat} is on for a model
     *     without a chat template (unchecked, so {@code Criteria.loadModel} reports it as it is rather
     *     than as "No model with the specified URI")
     */
    public TextGenerationTranslator newTextTranslator(Model model, Map<String, ?> arguments)
            throws TranslateException {
        ArgumentNames.warnUnknown(arguments);
        TextGenerationSettings settings;
        try {
            settings = GenerationArguments.parse(arguments, model::getProperty);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model " + model.getName() + ": " + e.getMessage(), e);
        }
        try {
            TextTokenizer tokenizer = loadTokenizer(model, arguments);
            ChatTemplate template = loadChatTemplate(model).orElse(null);
            if (settings.chat() && template == null) {
                throw new IllegalArgumentException("argument chat=true but model " + model.getName()
                        + " has no chat template of a known family (ChatML, Llama 3, Qwen3): drop chat,"
                        + " or use a model whose tokenizer_config.json or GGUF metadata holds one");
            }
            return new TextGenerationTranslator(
                    tokenizer, template, settings, eosIds(model, tokenizer, template), contextLength(model));
        } catch (TokenizerNotFoundException e) {
            if (isGguf(model.getProperty("checkpoint"))) {
                throw new IllegalArgumentException("model " + model.getName() + " is a GGUF file, whose tokenizer"
                        + " is in its metadata: use io.djlint4.zoo.Int4TranslatorFactory (module model-zoo) instead of "
                        + getClass().getSimpleName() + ", or name a tokenizer file with the tokenizer argument", e);
            }
            throw new TranslateException("cannot make a text-generation translator for model " + model.getName()
                    + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new TranslateException("cannot make a text-generation translator for model " + model.getName()
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Finds and loads the model's tokenizer.
     *
     * @param model the loaded model
     * @param arguments the translator arguments, possibly {@code null}
     * @return the tokenizer
     * @throws IOException when no tokenizer is found (the message names the places searched) or it
     *     cannot be read
     */
    protected TextTokenizer loadTokenizer(Model model, Map<String, ?> arguments) throws IOException {
        Path dir = modelDirectory(model);
        Object named = arguments == null ? null : arguments.get("tokenizer");
        if (named != null) {
            return TokenizerFiles.load(TokenizerFiles.resolveInside(dir, named.toString()));
        }
        Optional<Path> json = TokenizerFiles.tokenizerJsonIn(dir);
        if (json.isPresent()) {
            return ByteLevelBpeTokenizer.fromTokenizerJson(json.get());
        }
        String checkpoint = model.getProperty("checkpoint");
        Path llama2cDir = checkpoint != null && isLlama2cFile(Paths.get(checkpoint))
                ? Paths.get(checkpoint).toAbsolutePath().getParent()
                : dir;
        try {
            return Llama2cTokenizer.load(TokenizerFiles.llama2cIn(llama2cDir));
        } catch (TokenizerNotFoundException e) {
            throw new TokenizerNotFoundException("no tokenizer for model " + model.getName()
                    + ": no tokenizer argument, no tokenizer.json in " + dir + ", " + e.getMessage());
        }
    }

    /**
     * Finds the model's chat template.
     *
     * @param model the loaded model
     * @return the template, or empty when the model has none of a known family
     * @throws IOException when {@code tokenizer_config.json} cannot be read
     */
    protected Optional<ChatTemplate> loadChatTemplate(Model model) throws IOException {
        Path config = modelDirectory(model).resolve("tokenizer_config.json");
        return Files.isRegularFile(config) ? ChatTemplateDetector.fromTokenizerConfig(config) : Optional.empty();
    }

    private static int[] eosIds(Model model, TextTokenizer tokenizer, ChatTemplate template) {
        Set<Integer> ids = new LinkedHashSet<>();
        for (int id : tokenizer.eosIds()) {
            ids.add(id);
        }
        String published = model.getProperty("eosTokenIds");
        if (published != null && !published.isBlank()) {
            for (String id : published.split(",")) {
                ids.add(Integer.parseInt(id.trim()));
            }
        }
        if (template != null) {
            for (String token : template.endOfTurnTokens()) {
                tokenizer.idOf(token).ifPresent(ids::add);
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The context length an engine published ({@code maxPositionEmbeddings}), or 0. */
    private static int contextLength(Model model) {
        String published = model.getProperty("maxPositionEmbeddings");
        return published == null ? 0 : Integer.parseInt(published.trim());
    }

    /** The model directory; a model given as one file ({@code optModelPath(file)}) lives in its parent. */
    private static Path modelDirectory(Model model) {
        Path path = model.getModelPath();
        return Files.isRegularFile(path) ? path.toAbsolutePath().getParent() : path;
    }

    private static boolean isGguf(String checkpoint) {
        return checkpoint != null && checkpoint.toLowerCase(Locale.ROOT).endsWith(".gguf");
    }

    private static boolean isLlama2cFile(Path checkpoint) {
        return Files.isRegularFile(checkpoint)
                && checkpoint.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".bin");
    }
}
