package io.djlint4.cli;

/**
 * One {@code --name} option a command accepts.
 *
 * @param name the option name without the leading dashes
 * @param valueName how the help text names its value, or {@code null} for a flag without value
 * @param description the help text
 */
public record OptionSpec(String name, String valueName, String description) {

    /**
     * Creates an option that takes a value.
     *
     * @param name the option name without dashes
     * @param valueName how the help names the value
     * @param description the help text
     * @return the option
     */
    public static OptionSpec value(String name, String valueName, String description) {
        return new OptionSpec(name, valueName, description);
    }

    /**
     * Creates a flag.
     *
     * @param name the option name without dashes
     * @param description the help text
     * @return the option
     */
    public static OptionSpec flag(String name, String description) {
        return new OptionSpec(name, null, description);
    }

    /**
     * Tells whether the option is followed by a value.
     *
     * @return {@code false} for flags
     */
    public boolean takesValue() {
        return valueName != null;
    }
}
