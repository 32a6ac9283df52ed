package dev.anomaly.job.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Parsed {@code --name value} options and {@code --flag} switches of one sub-command, checked against what it accepts. */
final class CommandLineOptions {
    private final String command;
    private final Map<String, String> values = new LinkedHashMap<>();

    private CommandLineOptions(String command) {
        this.command = command;
    }

    /**
     * @param withValue options that take a value
     * @param flags options that take none
     */
    static CommandLineOptions parse(String command, String[] args, Set<String> withValue, Set<String> flags) {
        CommandLineOptions o = new CommandLineOptions(command);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            if (flags.contains(name) && inline == null) {
                o.values.put(name, "true");
            } else if (withValue.contains(name)) {
                String value = inline;
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new UsageException(command + ": option " + name + " needs a value");
                    }
                    value = args[++i];
                }
                if (o.values.put(name, value) != null) {
                    throw new UsageException(command + ": option " + name + " given twice");
                }
            } else {
                throw new UsageException(command + ": unknown argument '" + arg + "'");
            }
        }
        return o;
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new UsageException(command + ": missing required option " + name);
        }
        return v;
    }

    String optional(String name) {
        return values.get(name);
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    /** Comma-separated integers, exactly {@code count} of them. */
    int[] integers(String name, String value, int count) {
        String[] parts = value.split(",", -1);
        if (parts.length != count) {
            throw new UsageException(command + ": " + name + " needs " + count + " comma-separated integers, got '"
                    + value + "'");
        }
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new UsageException(command + ": " + name + " value '" + parts[i].trim() + "' is not an integer");
            }
            if (out[i] < 0) {
                throw new UsageException(command + ": " + name + " values must be >= 0, got " + out[i]);
            }
        }
        return out;
    }

    /** Comma-separated finite numbers. */
    double[] numbers(String name, String value) {
        String[] parts = value.split(",", -1);
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new UsageException(command + ": " + name + " value '" + parts[i].trim() + "' is not a number");
            }
            if (!Double.isFinite(out[i])) {
                throw new UsageException(command + ": " + name + " value '" + parts[i].trim() + "' is not finite");
            }
        }
        return out;
    }

    /** A non-negative integer. */
    int nonNegativeInteger(String name, String value) {
        try {
            int v = Integer.parseInt(value.trim());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": " + name + " needs a non-negative integer, got '" + value + "'");
        }
    }
}
