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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the tokenizer of a checkpoint: the one given with {@code --tokenizer}, else {@code
 * tokenizer.json} in a Hugging Face directory, the vocabulary in a GGUF file's metadata, or for a
 * llama2.c {@code .bin} the {@code tokenizer.bin} or single {@code tok*.bin} beside it.
 */
public final class TokenizerLocator {

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
    public static TextTokenizer locate(LoadedCheckpoint checkpoint, Path override) throws IOException {
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
            Optional<Path> json = TokenizerFiles.tokenizerJsonIn(source);
            if (json.isPresent()) {
                return ByteLevelBpeTokenizer.fromTokenizerJson(json.get());
            }
            // A saved quantized model of a llama2.c checkpoint holds a copy of its tokenizer.
            try {
                return Llama2cTokenizer.load(TokenizerFiles.llama2cIn(source));
            } catch (TokenizerNotFoundException e) {
                throw new CliFailure("no tokenizer.json, tokenizer.bin or tok*.bin in " + source + "; pass --tokenizer");
            }
        }
        if (!checkpoint.metadata().isEmpty()) {
            throw new CliFailure(source + " has no tokenizer.ggml.* metadata; pass --tokenizer");
        }
        return Llama2cTokenizer.load(llama2cTokenizerBeside(source));
    }

    /**
     * Lists the files that hold the tokenizer (and chat template) of a checkpoint, for a saved
     * quantized model to copy: none for a GGUF file, whose metadata holds them.
     *
     * @param checkpoint the loaded checkpoint
     * @param override the {@code --tokenizer} path, or {@code null}
     * @return the files; empty when there are none to copy
     * @throws IOException when a directory cannot be listed
     */
    static List<Path> files(LoadedCheckpoint checkpoint, Path override) throws IOException {
        Path source = checkpoint.source();
        if (override != null) {
            return List.of(Files.isDirectory(override) ? override.resolve("tokenizer.json") : override);
        }
        if (checkpoint.metadata().containsKey(GgufTokenizerFactory.MODEL)) {
            return List.of();
        }
        if (Files.isDirectory(source)) {
            List<Path> files = new ArrayList<>();
            for (String name : new String[] {"tokenizer.json", ChatTemplateLocator.TOKENIZER_CONFIG}) {
                if (Files.isRegularFile(source.resolve(name))) {
                    files.add(source.resolve(name));
                }
            }
            return files;
        }
        try {
            return List.of(TokenizerFiles.llama2cBeside(source));
        } catch (TokenizerNotFoundException e) {
            return List.of();
        }
    }

    private static Path llama2cTokenizerBeside(Path checkpoint) throws IOException {
        try {
            return TokenizerFiles.llama2cBeside(checkpoint);
        } catch (TokenizerNotFoundException e) {
            throw new CliFailure(e.getMessage() + "; pass the tokenizer with --tokenizer");
        }
    }
}
