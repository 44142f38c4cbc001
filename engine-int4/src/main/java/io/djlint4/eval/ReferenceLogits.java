package io.djlint4.eval;

import io.djlint4.model.DecoderModel;
import io.djlint4.model.ForwardRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The reference model's log-probabilities at the scored positions of fixed windows, computed once
 * so that several quantized models can be compared against them without re-running the reference
 * (which would double the cost of every comparison). Memory is {@code scored tokens × vocabulary}
 * floats.
 */
public final class ReferenceLogits implements BaseDistributions {

    private final ScoredWindows windows;
    private final List<LogProbRows> rows;
    private final int vocabSize;

    private ReferenceLogits(ScoredWindows windows, List<LogProbRows> rows, int vocabSize) {
        this.windows = windows;
        this.rows = rows;
        this.vocabSize = vocabSize;
    }

    /**
     * Runs the reference model on every window, every position scored.
     *
     * @param reference the reference model, normally the full-precision one
     * @param windows token windows, each run from an empty cache
     * @param progress receives the number of windows done after each one
     * @return the distributions at every position of every window
     */
    public static ReferenceLogits compute(DecoderModel reference, List<long[]> windows, IntConsumer progress) {
        return compute(reference, ScoredWindows.all(windows), progress);
    }

    /**
     * Runs the reference model on every window and keeps its scored positions.
     *
     * @param reference the reference model, normally the full-precision one
     * @param windows the scored windows, each run from an empty cache
     * @param progress receives the number of windows done after each one
     * @return the distributions
     */
    public static ReferenceLogits compute(DecoderModel reference, ScoredWindows windows, IntConsumer progress) {
        int vocab = reference.config().vocabSize();
        List<LogProbRows> rows = new ArrayList<>(windows.windows().size());
        for (int i = 0; i < windows.windows().size(); i++) {
            float[] logits = reference.forward(ForwardRequest.of(windows.windows().get(i), true)).logits();
            rows.add(LogProbRows.fromLogits(logits, windows.firstScored(), windows.scored(i), vocab));
            progress.accept(rows.size());
        }
        return new ReferenceLogits(windows, List.copyOf(rows), vocab);
    }

    @Override
    public ScoredWindows windows() {
        return windows;
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public LogProbRows window(int index) {
        return rows.get(index);
    }
}
