package io.djlint4.cli;

import io.djlint4.checkpoint.LoadedCheckpoint;
import io.djlint4.tokenizer.ByteLevelBpeTokenizer;
import io.djlint4.tokenizer.GgufTokenizerFactory;
import io.djlint4.tokenizer.Llama2cTokenizer;
import io.djlint4.tokenizer.TextTokenizer;
import io.djlint4.tokenizer.TokenizerFiles;
import io.djlint4.tokenizer.TokenizerNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the tokenizer of a checkpoint: the one given with {@code --tokenizer}, else {@code
 * tokenizer.json} in a Hugging Face directory, the vocabulary in a GGUF file's metadata, or for a
 * llama2.c {@code .bin} the {@code tokenizer.bin} or single {@code tok*.bin} beside it.
 */
final class TokenizerLocator {

    private TokenizerLocator() {}

    /**
     * Loads the tokenizer for a checkpoint.
     *
     * @param checkpoint the loaded checkpoint
     * @param override the {@code --tokenizer} path, or {@code null}
     * @return the tokenizer, checked to fit the model's vocabulary
     * @throws IOException when the tokenizer file cannot be read or is malformed
     * @throws CliFailure when no tokenizer can be found or it does not fit the model
     */
    static TextTokenizer locate(LoadedCheckpoint checkpoint, Path override) throws IOException {
        TextTokenizer tokenizer = override != null ? load(override) : fromCheckpoint(checkpoint);
        int modelVocab = checkpoint.config().vocabSize();
        if (tokenizer.vocabSize() > modelVocab) {
            throw new CliFailure("the tokenizer has " + tokenizer.vocabSize() + " tokens but the model's vocabulary has "
                    + modelVocab + "; pass the matching --tokenizer");
        }
        return tokenizer;
    }

    /**
     * Loads a tokenizer file given by the user.
     *
     * @param path {@code tokenizer.json}, a directory holding it, or a llama2.c tokenizer file
     * @return the tokenizer
     * @throws IOException when it cannot be read or is malformed
     */
    static TextTokenizer load(Path path) throws IOException {
        try {
            return TokenizerFiles.load(path);
        } catch (TokenizerNotFoundException e) {
            throw new CliFailure(e.getMessage());
        }
    }

    private static TextTokenizer fromCheckpoint(LoadedCheckpoint checkpoint) throws IOException {
        Path source = checkpoint.source();
        if (checkpoint.metadata().containsKey(GgufTokenizerFactory.MODEL)) {
            return GgufTokenizerFactory.fromMetadata(checkpoint.metadata(), source.toString());
        }
        if (Files.isDirectory(source)) {
            Path json = TokenizerFiles.tokenizerJsonIn(source)
                    .orElseThrow(() -> new CliFailure("no tokenizer.json in " + source + "; pass --tokenizer"));
            return ByteLevelBpeTokenizer.fromTokenizerJson(json);
        }
        if (!checkpoint.metadata().isEmpty()) {
            throw new CliFailure(source + " has no tokenizer.ggml.* metadata; pass --tokenizer");
        }
        return Llama2cTokenizer.load(llama2cTokenizerBeside(source));
    }

    private static Path llama2cTokenizerBeside(Path checkpoint) throws IOException {
        try {
            return TokenizerFiles.llama2cBeside(checkpoint);
        } catch (TokenizerNotFoundException e) {
            throw new CliFailure(e.getMessage() + "; pass the tokenizer with --tokenizer");
        }
    }
}
