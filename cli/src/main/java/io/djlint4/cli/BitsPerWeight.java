package io.djlint4.cli;

import io.djlint4.checkpoint.GgufReader;
import io.djlint4.checkpoint.GgufTensorInfo;
import io.djlint4.checkpoint.GgufType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The bits per weight a GGUF file stores, for reports beside what a run holds ({@link
 * io.djlint4.model.DecoderModel#linearFootprint()}).
 */
final class BitsPerWeight {

    /** The seven decoder projections of a GGUF file's layers. */
    private static final Pattern PROJECTION =
            Pattern.compile("blk\\.\\d+\\.(attn_q|attn_k|attn_v|attn_output|ffn_gate|ffn_up|ffn_down)\\.weight");

    private BitsPerWeight() {}

    /**
     * Counts a GGUF file's decoder projections as a native run holds them: block tensors as the
     * file stores them, float tensors expanded to 32-bit floats.
     *
     * @param file the .gguf file
     * @return the bits per weight of the projections
     * @throws IOException when the file cannot be read
     */
    static double nativeProjections(Path file) throws IOException {
        long weights = 0;
        long bits = 0;
        try (GgufReader r = GgufReader.open(file)) {
            for (GgufTensorInfo t : r.tensors().values()) {
                if (PROJECTION.matcher(t.name()).matches()) {
                    weights += t.numElements();
                    bits += isFloat(t.type()) ? 32L * t.numElements() : 8L * t.byteSize();
                }
            }
        }
        return weights == 0 ? 0 : (double) bits / weights;
    }

    /**
     * Counts the whole file as llama.cpp's loader does ({@code model size = ... (N BPW)}): the
     * bytes of every tensor over their elements.
     *
     * @param file the .gguf file
     * @return the file's bits per weight
     * @throws IOException when the file cannot be read
     */
    static double ggufFile(Path file) throws IOException {
        long weights = 0;
        long bytes = 0;
        try (GgufReader r = GgufReader.open(file)) {
            for (GgufTensorInfo t : r.tensors().values()) {
                weights += t.numElements();
                bytes += t.byteSize();
            }
        }
        return weights == 0 ? 0 : 8.0 * bytes / weights;
    }

    private static boolean isFloat(GgufType type) {
        return type == GgufType.F32 || type == GgufType.F16 || type == GgufType.BF16;
    }
}
