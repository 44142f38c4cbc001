package io.djlint4.checkpoint;

import io.djlint4.model.ModelWeights;
import io.djlint4.quant.saved.QuantizedModelHeader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The single entry point for reading a checkpoint of any supported format:
 *
 * <ul>
 *   <li>a directory with {@code config.json} (or that file, or a {@code .safetensors} file beside
 *       it): Hugging Face safetensors, {@link HfCheckpointReader};
 *   <li>a file starting with the GGUF magic: {@link GgufCheckpointReader};
 *   <li>a file ending in {@code .bin}: llama2.c, {@link Llama2cCheckpointReader};
 *   <li>another directory: the single checkpoint inside it, found by {@link CheckpointLocator}.
 * </ul>
 */
public final class CheckpointLoader {

    private static final String ACCEPTED =
            "accepted: a directory with config.json and model.safetensors (or model.safetensors.index.json),"
                    + " a GGUF file, or a llama2.c .bin file";

    private CheckpointLoader() {}

    /**
     * Reads a checkpoint with default options.
     *
     * @param path a checkpoint file or directory
     * @return the checkpoint
     * @throws IOException if the path is not a supported checkpoint or is malformed
     */
    public static LoadedCheckpoint load(Path path) throws IOException {
        return load(path, LoadOptions.defaults());
    }

    /**
     * Reads a checkpoint.
     *
     * @param path a checkpoint file or directory
     * @param options load options
     * @return the checkpoint
     * @throws IOException if the path is not a supported checkpoint or is malformed
     */
    public static LoadedCheckpoint load(Path path, LoadOptions options) throws IOException {
        if (!Files.exists(path)) {
            throw new CheckpointFormatException(path, "no such file or directory; " + ACCEPTED);
        }
        if (Files.isDirectory(path)) {
            if (Files.isRegularFile(path.resolve(HfConfigParser.CONFIG_FILE))) {
                return HfCheckpointReader.read(path, options);
            }
            if (Files.isRegularFile(path.resolve(QuantizedModelHeader.FILE_NAME))) {
                throw new CheckpointFormatException(path, "a saved quantized model, which holds no full-precision"
                        + " weights: read it with QuantizedModelReader (the int4 tool and Int4Model do)");
            }
            // the locator's errors name the directory and what a checkpoint looks like
            Path located = CheckpointLocator.locate(path, null);
            if (Files.isDirectory(located)) {
                throw new CheckpointFormatException(path, "not a checkpoint directory; " + ACCEPTED);
            }
            return loadFile(located, options);
        }
        return loadFile(path, options);
    }

    private static LoadedCheckpoint loadFile(Path file, LoadOptions options) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        Path parent = file.toAbsolutePath().getParent();
        if ((name.equals(HfConfigParser.CONFIG_FILE) || name.endsWith(".safetensors"))
                && parent != null
                && Files.isRegularFile(parent.resolve(HfConfigParser.CONFIG_FILE))) {
            return HfCheckpointReader.read(parent, options);
        }
        if (GgufReader.hasMagic(file)) {
            return GgufCheckpointReader.read(file, options);
        }
        if (name.endsWith(".gguf")) {
            // Let the GGUF reader report the bad magic precisely.
            return GgufCheckpointReader.read(file, options);
        }
        if (name.endsWith(".bin")) {
            // llama2.c files carry no metadata besides the shape.
            ModelWeights w = Llama2cCheckpointReader.read(file, options.checkFinite());
            return new LoadedCheckpoint(w.config(), w, Map.of(), file);
        }
        throw new CheckpointFormatException(file, "unrecognized checkpoint format; " + ACCEPTED);
    }
}
