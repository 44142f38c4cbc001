package io.djlint4.cli;

import io.djlint4.checkpoint.LoadedCheckpoint;
import io.djlint4.tokenizer.ByteLevelBpeTokenizer;
import io.djlint4.tokenizer.GgufTokenizerFactory;
import io.djlint4.tokenizer.Llama2cTokenizer;
import io.djlint4.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
        if (!Files.exists(path)) {
            throw new CliFailure("tokenizer not found: " + path);
        }
        if (Files.isDirectory(path) || name(path).endsWith(".json")) {
            return ByteLevelBpeTokenizer.fromTokenizerJson(path);
        }
        return Llama2cTokenizer.load(path);
    }

    private static TextTokenizer fromCheckpoint(LoadedCheckpoint checkpoint) throws IOException {
        Path source = checkpoint.source();
        if (checkpoint.metadata().containsKey(GgufTokenizerFactory.MODEL)) {
            return GgufTokenizerFactory.fromMetadata(checkpoint.metadata(), source.toString());
        }
        if (Files.isDirectory(source)) {
            Path json = source.resolve("tokenizer.json");
            if (!Files.isRegularFile(json)) {
                throw new CliFailure("no tokenizer.json in " + source + "; pass --tokenizer");
            }
            return ByteLevelBpeTokenizer.fromTokenizerJson(json);
        }
        if (!checkpoint.metadata().isEmpty()) {
            throw new CliFailure(source + " has no tokenizer.ggml.* metadata; pass --tokenizer");
        }
        return Llama2cTokenizer.load(llama2cTokenizerBeside(source));
    }

    private static Path llama2cTokenizerBeside(Path checkpoint) throws IOException {
        Path dir = checkpoint.toAbsolutePath().getParent();
        Path standard = dir.resolve("tokenizer.bin");
        if (Files.isRegularFile(standard)) {
            return standard;
        }
        List<Path> candidates;
        try (Stream<Path> files = Files.list(dir)) {
            candidates = files.filter(Files::isRegularFile)
                    .filter(p -> name(p).startsWith("tok") && name(p).endsWith(".bin"))
                    .sorted()
                    .collect(Collectors.toList());
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        if (candidates.isEmpty()) {
            throw new CliFailure("no tokenizer.bin or tok*.bin beside " + checkpoint + "; pass --tokenizer");
        }
        throw new CliFailure("several tokenizers beside " + checkpoint + " "
                + candidates.stream().map(p -> p.getFileName().toString()).collect(Collectors.toList())
                + "; choose one with --tokenizer");
    }

    private static String name(Path p) {
        Path file = p.getFileName();
        return file == null ? "" : file.toString().toLowerCase(Locale.ROOT);
    }
}
