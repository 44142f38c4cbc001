package io.djlint4.cli;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * Where a command reads and writes, and how it should present progress.
 *
 * @param in standard input (the chat loop reads it)
 * @param out standard output: results
 * @param err standard error: progress, summaries and errors
 * @param terminal whether a person watches a terminal (progress bars and prompts are shown only
 *     then)
 */
public record CliContext(InputStream in, PrintStream out, PrintStream err, boolean terminal) {

    /**
     * Returns a progress display for this context.
     *
     * @param json whether the command prints JSON (which keeps the terminal quiet)
     * @return a progress display, silent unless a terminal watches and JSON is off
     */
    public TerminalProgress progress(boolean json) {
        return new TerminalProgress(err, terminal && !json);
    }
}
