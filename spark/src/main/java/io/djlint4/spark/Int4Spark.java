package io.djlint4.spark;

import io.djlint4.cli.CliFailure;
import io.djlint4.cli.CommonOptions;
import io.djlint4.cli.ErrorMessages;
import io.djlint4.cli.OptionParser;
import io.djlint4.cli.OptionSpec;
import io.djlint4.cli.UsageException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code int4-spark} tool: {@code generate} and {@code eval} on a Spark cluster, run by {@code
 * bin/int4-spark} on a local master or by {@code spark-submit --class io.djlint4.spark.Int4Spark}.
 * Exit codes as {@code int4}'s: 0 on success, 2 for a malformed command line, 1 for any other
 * failure, with one {@code int4-spark: error: ...} line on stderr (the stack trace with {@code
 * --verbose}).
 */
public final class Int4Spark {

    private static final List<SparkCommand> COMMANDS = List.of(new GenerateJob(), new EvalJob());

    private Int4Spark() {}

    /**
     * Runs the tool and exits with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the tool.
     *
     * @param args the command line
     * @param out standard output
     * @param err standard error
     * @return the exit code: 0, 1 or 2
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || List.of("--help", "-h", "help").contains(args[0])) {
            (args.length == 0 ? err : out).print(overview());
            return args.length == 0 ? 2 : 0;
        }
        SparkCommand command = COMMANDS.stream().filter(c -> c.name().equals(args[0])).findFirst().orElse(null);
        if (command == null) {
            err.println("int4-spark: error: unknown command '" + args[0] + "'; commands: generate, eval");
            return 2;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (rest.contains("--help") || rest.contains("-h")) {
            out.print(help(command));
            return 0;
        }
        try {
            command.run(OptionParser.parse(command.name(), command.options(), rest), out, err);
            out.flush();
            return 0;
        } catch (UsageException e) {
            err.println("int4-spark: error: " + e.getMessage() + " (see 'int4-spark " + command.name() + " --help')");
            return 2;
        } catch (Exception | OutOfMemoryError e) {
            out.flush();
            err.println("int4-spark: error: " + ErrorMessages.describe(userCause(e)));
            if (rest.contains("--" + CommonOptions.VERBOSE.name())) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }

    /** A failed Spark job wraps the executor's exception; the user needs that one's message. */
    private static Throwable userCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof CliFailure || c instanceof UsageException || c instanceof java.io.IOException
                    || c instanceof java.io.UncheckedIOException || c instanceof IllegalArgumentException) {
                return c;
            }
        }
        return t;
    }

    private static String overview() {
        StringBuilder sb = new StringBuilder("usage: int4-spark COMMAND [OPTIONS]\n\n");
        sb.append("Runs int4 generation and evaluation on Apache Spark.\n\ncommands:\n");
        for (SparkCommand c : COMMANDS) {
            sb.append(String.format("  %-10s %s%n", c.name(), c.summary()));
        }
        return sb.append("\nRun 'int4-spark COMMAND --help' for the options of a command.\n").toString();
    }

    private static String help(SparkCommand command) {
        StringBuilder sb = new StringBuilder("usage: int4-spark ").append(command.name()).append(" [OPTIONS]\n\n");
        sb.append(command.summary()).append("\n\noptions:\n");
        for (OptionSpec o : command.options()) {
            String left = "--" + o.name() + (o.takesValue() ? " " + o.valueName() : "");
            sb.append(String.format("  %-26s %s%n", left, o.description()));
        }
        return sb.toString();
    }
}
