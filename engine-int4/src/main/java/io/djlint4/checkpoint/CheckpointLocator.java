package io.djlint4.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds the checkpoint inside a model directory: a Hugging Face directory (config.json) is the
 * checkpoint itself; otherwise the directory must hold one GGUF file or one llama2.c {@code .bin}
 * (tokenizer files such as {@code tokenizer.bin} or {@code tok512.bin} are not candidates), unless
 * a file name is given.
 */
public final class CheckpointLocator {

    private CheckpointLocator() {}

    /**
     * Resolves a model path to the checkpoint to read.
     *
     * @param path a checkpoint file or a model directory
     * @param fileName a file name inside the directory chosen by the caller, or {@code null}
     * @return the directory (Hugging Face) or file to read
     * @throws IOException if nothing or more than one candidate is found
     */
    public static Path locate(Path path, String fileName) throws IOException {
        if (!Files.exists(path)) {
            throw new CheckpointFormatException(path, "no such file or directory");
        }
        if (!Files.isDirectory(path)) {
            return path;
        }
        if (fileName != null) {
            Path file = path.resolve(fileName);
            if (!Files.isRegularFile(file)) {
                throw new CheckpointFormatException(file, "the requested model file does not exist");
            }
            return file;
        }
        if (Files.isRegularFile(path.resolve("config.json"))) {
            return path;
        }
        List<Path> candidates;
        try (Stream<Path> s = Files.list(path)) {
            candidates = s.filter(Files::isRegularFile).filter(CheckpointLocator::isCandidate).sorted().collect(Collectors.toList());
        }
        List<Path> gguf =
                candidates.stream().filter(p -> name(p).endsWith(".gguf")).collect(Collectors.toList());
        List<Path> chosen = gguf.isEmpty() ? candidates : gguf;
        if (chosen.size() == 1) {
            return chosen.get(0);
        }
        if (chosen.isEmpty()) {
            throw new CheckpointFormatException(
                    path,
                    "no checkpoint found: expected config.json with safetensors, a .gguf file or a"
                            + " llama2.c .bin file");
        }
        throw new CheckpointFormatException(
                path,
                "several checkpoints found "
                        + chosen.stream().map(CheckpointLocator::name).collect(Collectors.toList())
                        + "; choose one with the modelFile option");
    }

    private static boolean isCandidate(Path p) {
        String n = name(p);
        return n.endsWith(".gguf") || (n.endsWith(".bin") && !n.startsWith("tok"));
    }

    private static String name(Path p) {
        return p.getFileName().toString().toLowerCase(Locale.ROOT);
    }
}
