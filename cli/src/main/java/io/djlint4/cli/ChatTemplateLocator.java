package io.djlint4.cli;

import io.djlint4.checkpoint.LoadedCheckpoint;
import io.djlint4.tokenizer.ChatTemplate;
import io.djlint4.tokenizer.ChatTemplateDetector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds a model's chat template: the GGUF key {@code tokenizer.chat_template}, or the {@code
 * chat_template} of {@code tokenizer_config.json} beside the tokenizer or in the model directory.
 */
final class ChatTemplateLocator {

    static final String TOKENIZER_CONFIG = "tokenizer_config.json";

    private ChatTemplateLocator() {}

    /**
     * Looks for the chat template.
     *
     * @param checkpoint the loaded checkpoint
     * @param tokenizerOverride the {@code --tokenizer} path, or {@code null}
     * @return the template, or empty when the model has none of a known family
     * @throws IOException when {@code tokenizer_config.json} cannot be read or parsed
     */
    static Optional<ChatTemplate> locate(LoadedCheckpoint checkpoint, Path tokenizerOverride) throws IOException {
        if (tokenizerOverride != null) {
            Path dir = Files.isDirectory(tokenizerOverride)
                    ? tokenizerOverride
                    : tokenizerOverride.toAbsolutePath().getParent();
            Optional<ChatTemplate> beside = fromConfigIn(dir);
            if (beside.isPresent()) {
                return beside;
            }
        }
        if (checkpoint.metadata().containsKey(ChatTemplateDetector.GGUF_KEY)) {
            return ChatTemplateDetector.fromGgufMetadata(checkpoint.metadata());
        }
        return Files.isDirectory(checkpoint.source()) ? fromConfigIn(checkpoint.source()) : Optional.empty();
    }

    /**
     * Returns the template or fails with a message saying the model has none.
     *
     * @param checkpoint the loaded checkpoint
     * @param tokenizerOverride the {@code --tokenizer} path, or {@code null}
     * @return the template
     * @throws IOException when {@code tokenizer_config.json} cannot be read or parsed
     * @throws CliFailure when there is no template of a known family
     */
    static ChatTemplate require(LoadedCheckpoint checkpoint, Path tokenizerOverride) throws IOException {
        return locate(checkpoint, tokenizerOverride).orElseThrow(() -> new CliFailure(
                checkpoint.source() + " has no chat template of a known family (ChatML, Llama 3, Qwen3);"
                        + " chat needs an instruction-tuned model"));
    }

    private static Optional<ChatTemplate> fromConfigIn(Path dir) throws IOException {
        if (dir == null) {
            return Optional.empty();
        }
        Path config = dir.resolve(TOKENIZER_CONFIG);
        return Files.isRegularFile(config) ? ChatTemplateDetector.fromTokenizerConfig(config) : Optional.empty();
    }
}
