package io.djlint4.eval;

import io.djlint4.model.DecoderModel;
import io.djlint4.model.ForwardRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The reference model's logits on a fixed list of windows, computed once so that several
 * quantized models can be compared against them without re-running the reference (which would
 * double the cost of every comparison). Memory is {@code tokens × vocabulary} floats.
 */
public final class ReferenceLogits {

    private final List<long[]> windows;
    private final List<float[]> logits;
    private final int vocabSize;

    private ReferenceLogits(List<long[]> windows, List<float[]> logits, int vocabSize) {
        this.windows = windows;
        this.logits = logits;
        this.vocabSize = vocabSize;
    }

    /**
     * Runs the reference model on every window.
     *
     * @param reference the reference model, normally the full-precision one
     * @param windows token windows, each run from an empty cache
     * @param progress receives the number of windows done after each one
     * @return the logits of every position of every window
     */
    public static ReferenceLogits compute(DecoderModel reference, List<long[]> windows, IntConsumer progress) {
        List<float[]> logits = new ArrayList<>(windows.size());
        for (long[] w : windows) {
            logits.add(reference.forward(ForwardRequest.of(w, true)).logits());
            progress.accept(logits.size());
        }
        return new ReferenceLogits(List.copyOf(windows), Collections.unmodifiableList(logits),
                reference.config().vocabSize());
    }

    /**
     * The windows the logits belong to.
     *
     * @return the windows, in order
     */
    public List<long[]> windows() {
        return windows;
    }

    /**
     * The vocabulary size of the reference model.
     *
     * @return the number of logits per position
     */
    public int vocabSize() {
        return vocabSize;
    }

    /**
     * The logits of one window.
     *
     * @param index the window's index in {@link #windows()}
     * @return {@code [positions, vocabulary]} logits, not to be modified
     */
    float[] window(int index) {
        return logits.get(index);
    }
}
