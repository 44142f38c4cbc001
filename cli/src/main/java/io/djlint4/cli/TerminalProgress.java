package io.djlint4.cli;

import java.io.PrintStream;

/**
 * A one-line progress display on standard error, redrawn in place with carriage returns. Disabled
 * instances print nothing, so commands call it unconditionally.
 */
public final class TerminalProgress {

    private static final int WIDTH = 30;

    private final PrintStream err;
    private final boolean enabled;
    private boolean lineOpen;

    TerminalProgress(PrintStream err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    /**
     * Shows what is happening now, for steps without a count.
     *
     * @param text the description
     */
    void stage(String text) {
        draw(text + " ...");
    }

    /**
     * Shows a bar.
     *
     * @param label what is being counted
     * @param done how many are done
     * @param total how many there are
     */
    void update(String label, long done, long total) {
        int filled = total <= 0 ? WIDTH : (int) Math.min(WIDTH, done * WIDTH / total);
        draw(String.format("%s [%s%s] %d/%d", label, "#".repeat(filled), " ".repeat(WIDTH - filled), done, total));
    }

    /** Clears the line, so results and messages start on a clean line. */
    void clear() {
        if (enabled && lineOpen) {
            err.print("\r\033[K");
            err.flush();
            lineOpen = false;
        }
    }

    private void draw(String line) {
        if (!enabled) {
            return;
        }
        err.print("\r\033[K" + line);
        err.flush();
        lineOpen = true;
    }
}
