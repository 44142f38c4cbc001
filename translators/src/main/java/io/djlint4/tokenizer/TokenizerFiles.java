package io.djlint4.tokenizer;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds and loads tokenizer files on disk: a Hugging Face {@code tokenizer.json} (or a directory
 * holding it), or a llama2.c tokenizer ({@code tokenizer.bin}, or the single {@code tok*.bin}
 * beside a llama2.c checkpoint). Shared by the command-line tool and the DJL translator factories.
 */
public final class TokenizerFiles {

    private TokenizerFiles() {}

    /**
     * Loads a tokenizer file.
     *
     * @param path {@code tokenizer.json}, a directory holding it, or a llama2.c tokenizer file
     * @return the tokenizer
     * @throws IOException when the path does not exist, cannot be read or is malformed
     */
    public static TextTokenizer load(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new TokenizerNotFoundException("tokenizer not found: " + path);
        }
        if (Files.isDirectory(path) || name(path).endsWith(".json")) {
            return ByteLevelBpeTokenizer.fromTokenizerJson(path);
        }
        return Llama2cTokenizer.load(path);
    }

    /**
     * Resolves a file a model directory names (such as the {@code tokenizer} argument of its
     * {@code serving.properties}) and keeps it inside that directory, so that a model cannot make
     * its loader read other files.
     *
     * @param dir the model directory
     * @param name a path relative to it
     * @return the resolved path
     * @throws FileSystemException if the name is absolute, or leads outside the directory
     *     (through {@code ..} or a symbolic link)
     * @throws IOException if an existing path cannot be resolved
     */
    public static Path resolveInside(Path dir, String name) throws IOException {
        Path relative;
        try {
            relative = dir.getFileSystem().getPath(name);
        } catch (InvalidPathException e) {
            throw new FileSystemException(dir.toString(), null, "model file name '" + name + "' is not a valid path");
        }
        Path base = dir.toAbsolutePath().normalize();
        Path resolved = base.resolve(relative).normalize();
        boolean inside = !relative.isAbsolute() && resolved.startsWith(base);
        if (inside && Files.exists(resolved)) {
            inside = resolved.toRealPath().startsWith(base.toRealPath());
        }
        if (!inside) {
            throw new FileSystemException(dir.toString(), null, "model file '" + name
                    + "' is not inside the model directory; name files relative to it");
        }
        return resolved;
    }

    /**
     * Returns the {@code tokenizer.json} of a Hugging Face model directory, if there is one.
     *
     * @param dir the model directory
     * @return the file, or empty
     */
    public static Optional<Path> tokenizerJsonIn(Path dir) {
        Path json = dir.resolve("tokenizer.json");
        return Files.isRegularFile(json) ? Optional.of(json) : Optional.empty();
    }

    /**
     * Finds the llama2.c tokenizer beside a checkpoint: {@code tokenizer.bin}, else the only
     * {@code tok*.bin} file in the same directory.
     *
     * @param checkpoint the llama2.c checkpoint file
     * @return the tokenizer file
     * @throws IOException when the directory cannot be listed
     * @throws TokenizerNotFoundException when there is none, or several to choose from
     */
    public static Path llama2cBeside(Path checkpoint) throws IOException {
        return llama2c(checkpoint.toAbsolutePath().getParent(), "beside " + checkpoint);
    }

    /**
     * Finds the llama2.c tokenizer in a directory: {@code tokenizer.bin}, else the only {@code
     * tok*.bin} file.
     *
     * @param dir the directory
     * @return the tokenizer file
     * @throws IOException when the directory cannot be listed
     * @throws TokenizerNotFoundException when there is none, or several to choose from
     */
    public static Path llama2cIn(Path dir) throws IOException {
        return llama2c(dir, "in " + dir);
    }

    private static Path llama2c(Path dir, String where) throws IOException {
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
            throw new TokenizerNotFoundException("no tokenizer.bin or tok*.bin " + where);
        }
        throw new TokenizerNotFoundException("several tokenizers " + where + " "
                + candidates.stream().map(p -> p.getFileName().toString()).collect(Collectors.toList()));
    }

    private static String name(Path p) {
        Path file = p.getFileName();
        return file == null ? "" : file.toString().toLowerCase(Locale.ROOT);
    }
}
