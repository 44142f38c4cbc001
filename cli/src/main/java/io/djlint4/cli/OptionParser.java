package io.djlint4.cli;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses {@code --name value}, {@code --name=value} and {@code --flag} arguments against the
 * options a command declares. Positional arguments are not accepted.
 */
public final class OptionParser {

    private OptionParser() {}

    /**
     * Parses the arguments after the command name.
     *
     * @param command the command name, for messages
     * @param specs the accepted options
     * @param args the arguments
     * @return the parsed options
     * @throws UsageException for an unknown option, a missing value, a repeated option or a
     *     positional argument
     */
    public static ParsedOptions parse(String command, List<OptionSpec> specs, List<String> args) {
        Map<String, OptionSpec> byName = new HashMap<>();
        for (OptionSpec s : specs) {
            byName.put(s.name(), s);
        }
        Map<String, String> values = new HashMap<>();
        Set<String> flags = new HashSet<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException(command + ": unexpected argument '" + arg + "'");
            }
            int eq = arg.indexOf('=');
            String name = arg.substring(2, eq < 0 ? arg.length() : eq);
            OptionSpec spec = byName.get(name);
            if (spec == null) {
                throw new UsageException(command + ": unknown option --" + name);
            }
            if (values.containsKey(name) || flags.contains(name)) {
                throw new UsageException(command + ": option --" + name + " given twice");
            }
            if (!spec.takesValue()) {
                if (eq >= 0) {
                    throw new UsageException(command + ": option --" + name + " takes no value");
                }
                flags.add(name);
            } else if (eq >= 0) {
                values.put(name, arg.substring(eq + 1));
            } else if (i + 1 < args.size()) {
                values.put(name, args.get(++i));
            } else {
                throw new UsageException(command + ": option --" + name + " needs a value (" + spec.valueName() + ")");
            }
        }
        return new ParsedOptions(command, values, flags);
    }
}
