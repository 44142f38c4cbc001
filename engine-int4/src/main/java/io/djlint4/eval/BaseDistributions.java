package io.djlint4.eval;

/**
 * The full-precision model's next-token distributions on a fixed set of scored windows, against
 * which quantized models are compared: held in memory ({@link ReferenceLogits}) or read from a
 * file saved by an earlier run ({@link SavedLogProbs}).
 */
public interface BaseDistributions {

    /**
     * Returns the windows the distributions belong to.
     *
     * @return the scored windows
     */
    ScoredWindows windows();

    /**
     * Returns the vocabulary size.
     *
     * @return the entries per row
     */
    int vocabSize();

    /**
     * Returns the rows of one window's scored positions.
     *
     * @param index the window's index in {@link #windows()}
     * @return the log-probabilities
     * @throws java.io.UncheckedIOException when a saved file cannot be read
     */
    LogProbRows window(int index);
}
