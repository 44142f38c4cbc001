package io.djlint4.cli;

import java.util.List;

/** One {@code int4} sub-command. */
interface Command {

    /**
     * Returns the name typed on the command line.
     *
     * @return the name
     */
    String name();

    /**
     * Returns a one-line description for the help text.
     *
     * @return the description
     */
    String summary();

    /**
     * Returns the options the command accepts.
     *
     * @return the options, in help order
     */
    List<OptionSpec> options();

    /**
     * Runs the command.
     *
     * @param options the parsed options
     * @param context where to read and write
     * @throws Exception on failure; {@link Int4Cli} turns it into a one-line message
     */
    void run(ParsedOptions options, CliContext context) throws Exception;
}
