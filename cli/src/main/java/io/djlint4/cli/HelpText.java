package io.djlint4.cli;

import java.util.List;

/** The text {@code int4 --help} and {@code int4 COMMAND --help} print. */
final class HelpText {

    private HelpText() {}

    /**
     * Lists the commands.
     *
     * @param commands the commands
     * @return the help text
     */
    static String overview(List<Command> commands) {
        StringBuilder sb = new StringBuilder("usage: int4 COMMAND [OPTIONS]\n\n");
        sb.append("Runs LLaMA/Qwen checkpoints (Hugging Face, GGUF, llama2.c) on the CPU with optional 4-bit recipes.\n\n");
        sb.append("commands:\n");
        for (Command c : commands) {
            sb.append(String.format("  %-10s %s%n", c.name(), c.summary()));
        }
        sb.append("\nRun 'int4 COMMAND --help' for the options of a command, 'int4 --version' for the version.\n");
        return sb.toString();
    }

    /**
     * Describes one command and its options.
     *
     * @param command the command
     * @return the help text
     */
    static String command(Command command) {
        StringBuilder sb = new StringBuilder("usage: int4 ").append(command.name()).append(" [OPTIONS]\n\n");
        sb.append(command.summary()).append("\n\noptions:\n");
        for (OptionSpec o : command.options()) {
            String left = "--" + o.name() + (o.takesValue() ? " " + o.valueName() : "");
            sb.append(String.format("  %-26s %s%n", left, o.description()));
        }
        return sb.toString();
    }
}
