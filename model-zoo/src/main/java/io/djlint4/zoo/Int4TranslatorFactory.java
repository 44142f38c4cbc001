package io.djlint4.zoo;

import ai.djl.Model;
import io.djlint4.checkpoint.LoadedCheckpoint;
import io.djlint4.engine.Int4Model;
import io.djlint4.tokenizer.ChatTemplate;
import io.djlint4.tokenizer.ChatTemplateDetector;
import io.djlint4.tokenizer.GgufTokenizerFactory;
import io.djlint4.tokenizer.TextTokenizer;
import io.djlint4.translator.TextGenerationTranslatorFactory;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link TextGenerationTranslatorFactory} for Int4 models: it also takes the tokenizer and the
 * chat template from the metadata of a GGUF checkpoint, which only the Int4 engine has read. (The
 * translators module cannot see it: it has no dependency on the engine.) Use it with {@code
 * Criteria.optTranslatorFactory} for a GGUF file given with {@code optModelPath}; the zoo uses it
 * by default.
 */
public class Int4TranslatorFactory extends TextGenerationTranslatorFactory {

    /** Creates the factory; public and argument-free so DJL can instantiate it by class name. */
    public Int4TranslatorFactory() {}

    @Override
    protected TextTokenizer loadTokenizer(Model model, Map<String, ?> arguments) throws IOException {
        boolean named = arguments != null && arguments.get("tokenizer") != null;
        Map<String, Object> metadata = metadata(model);
        if (!named && metadata.containsKey(GgufTokenizerFactory.MODEL)) {
            return GgufTokenizerFactory.fromMetadata(metadata, model.getProperty("checkpoint"));
        }
        return super.loadTokenizer(model, arguments);
    }

    @Override
    protected Optional<ChatTemplate> loadChatTemplate(Model model) throws IOException {
        Map<String, Object> metadata = metadata(model);
        if (metadata.containsKey(ChatTemplateDetector.GGUF_KEY)) {
            return ChatTemplateDetector.fromGgufMetadata(metadata);
        }
        return super.loadChatTemplate(model);
    }

    private static Map<String, Object> metadata(Model model) {
        if (model instanceof Int4Model) {
            LoadedCheckpoint checkpoint = ((Int4Model) model).getCheckpoint();
            if (checkpoint != null) {
                return checkpoint.metadata();
            }
        }
        return Map.of();
    }
}
