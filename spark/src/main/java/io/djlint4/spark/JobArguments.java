package io.djlint4.spark;

import io.djlint4.cli.CommonOptions;
import io.djlint4.cli.EvalCommand;
import io.djlint4.cli.OptionParser;
import io.djlint4.cli.OptionSpec;
import io.djlint4.cli.ParsedOptions;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The command line of a job, shipped to the executors as text and parsed there with the same
 * option parser as on the driver, so that every executor builds its model from exactly the options
 * {@code int4} would use. Only the options that build the model take part in {@link #modelKey()},
 * so jobs that differ in sampling or output share a loaded model.
 */
final class JobArguments implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The options that name files the executors must read, resolved by {@link ExecutorFiles}. */
    private static final Set<String> PATH_OPTIONS = Set.of(
            CommonOptions.MODEL.name(), CommonOptions.TOKENIZER.name(), CommonOptions.CALIB.name(),
            EvalCommand.BASE.name());

    private final String command;
    private final List<String> args;

    /**
     * Parses a command line on the driver, so that a malformed one fails before Spark starts work.
     *
     * @param command the command name, for messages
     * @param specs the options the command accepts
     * @param args the arguments after the command name
     * @return the arguments
     * @throws io.djlint4.cli.UsageException when they do not parse
     */
    public static JobArguments parse(String command, List<OptionSpec> specs, List<String> args) {
        OptionParser.parse(command, specs, args);
        return new JobArguments(command, args);
    }

    private JobArguments(String command, List<String> args) {
        this.command = command;
        this.args = List.copyOf(args);
    }

    /**
     * Parses the arguments as given, on the driver.
     *
     * @param specs the options the command accepts
     * @return the options
     */
    public ParsedOptions onDriver(List<OptionSpec> specs) {
        return OptionParser.parse(command, specs, args);
    }

    /**
     * Parses the arguments on an executor, with every file option resolved where this executor
     * finds the file ({@link ExecutorFiles#resolve}).
     *
     * @param specs the options the command accepts
     * @return the options
     */
    public ParsedOptions onExecutor(List<OptionSpec> specs) {
        return OptionParser.parse(command, specs, render(onDriver(specs), specs, ExecutorFiles::resolve));
    }

    /**
     * Writes parsed options back as arguments, {@code --name=value} and {@code --flag}.
     *
     * @param options the parsed options
     * @param specs the options to write, where given
     * @param paths maps the value of each file option
     * @return the arguments
     */
    static List<String> render(ParsedOptions options, List<OptionSpec> specs, UnaryOperator<String> paths) {
        List<String> args = new ArrayList<>();
        for (OptionSpec spec : specs) {
            if (!spec.takesValue()) {
                if (options.flag(spec.name())) {
                    args.add("--" + spec.name());
                }
            } else if (options.has(spec.name())) {
                String value = options.require(spec.name());
                args.add("--" + spec.name() + "=" + (PATH_OPTIONS.contains(spec.name()) ? paths.apply(value) : value));
            }
        }
        return args;
    }

    /**
     * Names the model these arguments build: the command's model options, in a fixed order.
     *
     * @param specs the options the command accepts
     * @return a key for {@link ExecutorModels}
     */
    public String modelKey(List<OptionSpec> specs) {
        List<OptionSpec> build = specs.stream().filter(SparkOptions.BUILD::contains).toList();
        return command + " " + String.join(" ", render(onDriver(specs), build, UnaryOperator.identity()));
    }
}
