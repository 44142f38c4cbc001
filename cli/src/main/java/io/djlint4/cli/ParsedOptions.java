package io.djlint4.cli;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Set;

/**
 * The options given to one command, with typed accessors that turn bad values into {@link
 * UsageException}s naming the option.
 */
public final class ParsedOptions {

    private final String command;
    private final Map<String, String> values;
    private final Set<String> flags;

    /**
     * Creates the parsed options.
     *
     * @param command the command they belong to, for messages
     * @param values option values by name
     * @param flags the flags that were given
     */
    ParsedOptions(String command, Map<String, String> values, Set<String> flags) {
        this.command = command;
        this.values = Map.copyOf(values);
        this.flags = Set.copyOf(flags);
    }

    /**
     * Tells whether a flag was given.
     *
     * @param name the flag name
     * @return {@code true} when present
     */
    public boolean flag(String name) {
        return flags.contains(name);
    }

    /**
     * Tells whether an option with a value was given.
     *
     * @param name the option name
     * @return {@code true} when present
     */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /**
     * Returns an option's value, or a default.
     *
     * @param name the option name
     * @param fallback the value when absent
     * @return the value
     */
    public String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /**
     * Returns a required option's value.
     *
     * @param name the option name
     * @return the value
     * @throws UsageException when the option is absent
     */
    public String require(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new UsageException(command + ": missing required option --" + name);
        }
        return v;
    }

    /**
     * Returns a required path option.
     *
     * @param name the option name
     * @return the path
     * @throws UsageException when the option is absent
     */
    public Path requirePath(String name) {
        return Paths.get(require(name));
    }

    /**
     * Returns an integer option that must be at least {@code min}.
     *
     * @param name the option name
     * @param fallback the value when absent
     * @param min the smallest accepted value
     * @return the value
     * @throws UsageException when the value is not an integer or is too small
     */
    public int integer(String name, int fallback, int min) {
        return integer(name, fallback, min, Integer.MAX_VALUE);
    }

    /**
     * Returns an integer option that must lie in {@code [min, max]}.
     *
     * @param name the option name
     * @param fallback the value when absent
     * @param min the smallest accepted value
     * @param max the largest accepted value
     * @return the value
     * @throws UsageException when the value is not an integer or is out of range
     */
    public int integer(String name, int fallback, int min, int max) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects an integer, got '" + v + "'");
        }
        if (parsed < min) {
            throw new UsageException("--" + name + " must be at least " + min + ", got " + parsed);
        }
        if (parsed > max) {
            throw new UsageException("--" + name + " must be at most " + max + ", got " + parsed);
        }
        return parsed;
    }

    /**
     * Returns a long integer option.
     *
     * @param name the option name
     * @param fallback the value when absent
     * @return the value
     * @throws UsageException when the value is not an integer
     */
    public long longInteger(String name, long fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects an integer, got '" + v + "'");
        }
    }

    /**
     * Returns a finite decimal option.
     *
     * @param name the option name
     * @param fallback the value when absent
     * @return the value
     * @throws UsageException when the value is not a finite number
     */
    public double decimal(String name, double fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        double parsed;
        try {
            parsed = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects a number, got '" + v + "'");
        }
        if (!Double.isFinite(parsed)) {
            throw new UsageException("--" + name + " expects a finite number, got '" + v + "'");
        }
        return parsed;
    }
}
