package io.djlint4.generation;

import java.util.List;
import java.util.function.Consumer;

/**
 * Passes streamed text on while watching for stop strings. Text that could be the beginning of a
 * stop string is held back until the next piece shows whether it is, so the text before a stop
 * string is emitted exactly once and the stop string itself never is.
 */
final class StopStringFilter {

    private final List<String> stopStrings;
    private final Consumer<String> sink;
    private final StringBuilder text = new StringBuilder();
    private int emitted;
    private boolean stopped;

    /**
     * Creates a filter.
     *
     * @param stopStrings the texts to stop at (non-empty strings)
     * @param sink receives the text that is safe to show
     */
    StopStringFilter(List<String> stopStrings, Consumer<String> sink) {
        this.stopStrings = stopStrings;
        this.sink = sink;
    }

    /**
     * Adds newly decoded text.
     *
     * @param piece the text
     * @return {@code true} when the text now contains a stop string
     */
    boolean add(String piece) {
        if (stopped) {
            throw new IllegalStateException("text added after a stop string was found");
        }
        text.append(piece);
        int stop = firstStop();
        if (stop >= 0) {
            text.setLength(stop);
            emitUpTo(stop);
            stopped = true;
            return true;
        }
        emitUpTo(text.length() - heldBackLength());
        return false;
    }

    /** Emits whatever was held back; call when generation ends without a stop string. */
    void release() {
        emitUpTo(text.length());
    }

    /**
     * Returns the text so far, cut before a stop string.
     *
     * @return the text
     */
    String text() {
        return text.toString();
    }

    private int firstStop() {
        int first = -1;
        for (String s : stopStrings) {
            // Text that could start a stop string is held back, so none starts in emitted text.
            int at = text.indexOf(s, emitted);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        return first;
    }

    /** Length of the longest suffix of the text that is a proper prefix of a stop string. */
    private int heldBackLength() {
        int longest = 0;
        for (String s : stopStrings) {
            for (int n = Math.min(s.length() - 1, text.length() - emitted); n > longest; n--) {
                if (text.substring(text.length() - n).equals(s.substring(0, n))) {
                    longest = n;
                    break;
                }
            }
        }
        return longest;
    }

    private void emitUpTo(int end) {
        if (end > emitted) {
            sink.accept(text.substring(emitted, end));
            emitted = end;
        }
    }
}
