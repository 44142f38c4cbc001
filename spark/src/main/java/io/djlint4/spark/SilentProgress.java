package io.djlint4.spark;

import io.djlint4.cli.CliContext;
import io.djlint4.cli.TerminalProgress;
import java.io.InputStream;

/** The CLI's progress display switched off: executors and the driver log nothing per step. */
final class SilentProgress {

    private SilentProgress() {}

    /**
     * Returns a progress display that prints nothing.
     *
     * @return the display
     */
    static TerminalProgress create() {
        return new CliContext(InputStream.nullInputStream(), System.out, System.err, false).progress(true);
    }
}
