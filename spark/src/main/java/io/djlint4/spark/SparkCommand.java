package io.djlint4.spark;

import io.djlint4.cli.OptionSpec;
import io.djlint4.cli.ParsedOptions;
import java.io.PrintStream;
import java.util.List;

/** One {@code int4-spark} sub-command. */
interface SparkCommand {

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
     * @param out standard output
     * @param err standard error
     * @throws Exception on failure; {@link Int4Spark} turns it into a one-line message
     */
    void run(ParsedOptions options, PrintStream out, PrintStream err) throws Exception;
}
