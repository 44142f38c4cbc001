package io.djlint4.cli;

import io.djlint4.checkpoint.PrintableText;
import java.io.Console;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The {@code int4} command-line tool. {@link #run(String[], InputStream, PrintStream, PrintStream,
 * boolean)} does the work and returns the exit code, so tests call it in-process: 0 on success, 2
 * for a malformed command line, 1 for any other failure, with one {@code int4: error: ...} line on
 * stderr (and the stack trace with {@code --verbose}).
 */
public final class Int4Cli {

    /** Exit code of a successful run. */
    public static final int OK = 0;
    /** Exit code when the command failed. */
    public static final int FAILURE = 1;
    /** Exit code when the command line is malformed. */
    public static final int USAGE = 2;

    private static final List<Command> COMMANDS = List.of(
            new GenerateCommand(), new ChatCommand(), new EvalCommand(), new StatsCommand(), new BenchCommand(), new KernelsCommand(),
            new InfoCommand(), new QuantizeCommand(), new ServeCommand());

    private Int4Cli() {}

    /**
     * Runs the tool and exits with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err, isTerminal()));
    }

    /**
     * Runs the tool without standard input or a terminal.
     *
     * @param args the command line
     * @param out standard output
     * @param err standard error
     * @return the exit code
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, InputStream.nullInputStream(), out, err, false);
    }

    /**
     * Runs the tool.
     *
     * @param args the command line
     * @param in standard input
     * @param out standard output
     * @param err standard error
     * @param terminal whether a person watches (enables progress bars and the chat prompt)
     * @return the exit code
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, boolean terminal) {
        boolean verbose = Arrays.asList(args).contains("--" + CommonOptions.VERBOSE.name());
        if (args.length == 0) {
            err.print(HelpText.overview(COMMANDS));
            return USAGE;
        }
        String name = args[0];
        if (name.equals("--help") || name.equals("-h") || name.equals("help")) {
            return help(args, out, err);
        }
        if (name.equals("--version") || name.equals("version")) {
            out.print(VersionText.line());
            return OK;
        }
        Command command = find(name);
        if (command == null) {
            return usageError(err, "unknown command '" + name + "'; commands: " + names(), null);
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (rest.contains("--help") || rest.contains("-h")) {
            out.print(HelpText.command(command));
            return OK;
        }
        try {
            command.run(OptionParser.parse(command.name(), command.options(), rest),
                    new CliContext(in, out, err, terminal));
            out.flush();
            return OK;
        } catch (UsageException e) {
            return usageError(err, e.getMessage(), command);
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            out.flush();
            err.println("int4: error: " + ErrorMessages.describe(e));
            if (verbose) {
                e.printStackTrace(err);
            }
            return FAILURE;
        }
    }

    private static int help(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 1) {
            Command command = find(args[1]);
            if (command == null) {
                return usageError(err, "unknown command '" + args[1] + "'; commands: " + names(), null);
            }
            out.print(HelpText.command(command));
        } else {
            out.print(HelpText.overview(COMMANDS));
        }
        return OK;
    }

    private static int usageError(PrintStream err, String message, Command command) {
        String help = command == null ? "int4 --help" : "int4 " + command.name() + " --help";
        err.println("int4: error: " + PrintableText.escape(message) + " (see '" + help + "')");
        return USAGE;
    }

    private static Command find(String name) {
        for (Command c : COMMANDS) {
            if (c.name().equals(name.toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        return null;
    }

    private static String names() {
        return String.join(", ", COMMANDS.stream().map(Command::name).toArray(String[]::new));
    }

    /**
     * Tells whether a person watches: a console exists and, on JDKs that have {@code
     * Console.isTerminal()} (22+, where a console exists even when output is redirected), it is a
     * terminal.
     */
    private static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
