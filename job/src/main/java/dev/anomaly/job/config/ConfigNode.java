package dev.anomaly.job.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One mapping of the configuration tree with its dotted path. Typed getters validate and name the full key in
 * every error; {@link #rejectUnknown()} fails on keys nobody read, listing the allowed ones.
 */
final class ConfigNode {
    /** The longest duration any key accepts (a ten-year TTL is already more than anyone means). */
    static final long MAX_DURATION_DAYS = 3650;
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?");

    private final String path;
    private final JsonNode node;
    private final Set<String> known = new LinkedHashSet<>();

    ConfigNode(String path, JsonNode node) {
        this.path = path;
        this.node = node == null || node.isNull() ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .objectNode() : node;
        if (!this.node.isObject()) {
            throw new ConfigException("config key '" + (path.isEmpty() ? "<root>" : path)
                    + "' must be a mapping of keys to values, got " + describe(this.node));
        }
    }

    String key(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private JsonNode get(String name) {
        known.add(name);
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v;
    }

    boolean has(String name) {
        known.add(name);
        JsonNode v = node.get(name);
        return v != null && !v.isNull();
    }

    ConfigNode child(String name) {
        return new ConfigNode(key(name), get(name));
    }

    String string(String name, String fallback) {
        JsonNode v = get(name);
        if (v == null) {
            return fallback;
        }
        if (!v.isValueNode()) {
            throw new ConfigException("config key '" + key(name) + "' must be a string, got "
                    + describe(key(name), v));
        }
        return v.asText();
    }

    /**
     * A file-system path, or {@code fallback} when the key is absent; a value the file system cannot name (a NUL
     * character, say) fails naming the key.
     */
    String pathString(String name, String fallback) {
        String v = string(name, fallback);
        if (v != null) {
            try {
                java.nio.file.Path.of(v);
            } catch (java.nio.file.InvalidPathException e) {
                throw new ConfigException("config key '" + key(name) + "' must be a file path, got "
                        + describe(key(name), get(name)) + " (" + e.getReason() + ")");
            }
        }
        return v;
    }

    String requiredString(String name, String hint) {
        String v = string(name, null);
        if (v == null || v.isBlank()) {
            throw new ConfigException("config key '" + key(name) + "' is required: " + hint);
        }
        return v;
    }

    int integer(String name, int fallback, int min, int max) {
        JsonNode v = get(name);
        if (v == null) {
            return fallback;
        }
        java.math.BigInteger x = integral(v);
        if (x == null) {
            throw new ConfigException("config key '" + key(name) + "' must be an integer in " + min + ".." + max
                    + ", got " + describe(key(name), v));
        }
        if (x.compareTo(java.math.BigInteger.valueOf(min)) < 0 || x.compareTo(java.math.BigInteger.valueOf(max)) > 0) {
            throw new ConfigException("config key '" + key(name) + "' must be an integer in " + min + ".." + max
                    + ", got " + x);
        }
        return x.intValueExact();
    }

    long longValue(String name, long fallback, long min) {
        JsonNode v = get(name);
        if (v == null) {
            return fallback;
        }
        java.math.BigInteger x = integral(v);
        if (x == null || x.compareTo(java.math.BigInteger.valueOf(min)) < 0
                || x.bitLength() > 63) {
            throw new ConfigException("config key '" + key(name) + "' must be an integer in " + min + ".."
                    + Long.MAX_VALUE + ", got " + describe(key(name), v));
        }
        return x.longValueExact();
    }

    /** The exact integer a scalar holds (a YAML integer or its text), or null if it holds none. */
    private static java.math.BigInteger integral(JsonNode v) {
        if (v.isIntegralNumber()) {
            return v.bigIntegerValue();
        }
        if (v.isTextual() && v.asText().trim().matches("-?\\d+")) {
            return new java.math.BigInteger(v.asText().trim());
        }
        return null;
    }

    double number(String name, double fallback, double minExclusive, double maxExclusive) {
        JsonNode v = get(name);
        if (v == null) {
            return fallback;
        }
        double x;
        if (v.isNumber()) {
            x = v.asDouble();
        } else {
            try {
                x = Double.parseDouble(v.asText().trim());
            } catch (NumberFormatException e) {
                throw new ConfigException("config key '" + key(name) + "' must be a number in (" + minExclusive
                        + ", " + maxExclusive + "), got " + describe(key(name), v));
            }
        }
        if (!(x > minExclusive && x < maxExclusive)) {
            throw new ConfigException("config key '" + key(name) + "' must be a number in (" + minExclusive + ", "
                    + maxExclusive + "), got " + x);
        }
        return x;
    }

    boolean bool(String name, boolean fallback) {
        JsonNode v = get(name);
        if (v == null) {
            return fallback;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        String t = v.asText().trim().toLowerCase(Locale.ROOT);
        if (t.equals("true") || t.equals("false")) {
            return Boolean.parseBoolean(t);
        }
        throw new ConfigException("config key '" + key(name) + "' must be true or false, got "
                + describe(key(name), v));
    }

    /**
     * A duration such as {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d}. A bare number is refused
     * (Flink reads one as milliseconds, a human as seconds: {@code 60000} would be 16.7 hours here), except 0.
     */
    Duration duration(String name, Duration fallback, Duration min) {
        JsonNode v = get(name);
        if (v == null) {
            return fallback;
        }
        Matcher m = DURATION.matcher(v.asText().trim().toLowerCase(Locale.ROOT));
        if (!v.isValueNode() || !m.matches()) {
            throw new ConfigException("config key '" + key(name) + "' must be a duration like 500ms, 5s, 2m, 1h or 1d,"
                    + " got " + describe(key(name), v));
        }
        double amount = Double.parseDouble(m.group(1));
        if (m.group(2) == null && amount != 0) {
            throw new ConfigException("config key '" + key(name) + "' needs a unit (ms, s, m, h or d), got "
                    + v.asText() + ": write e.g. " + v.asText().trim() + "s or " + v.asText().trim() + "ms");
        }
        String unit = m.group(2) == null ? "s" : m.group(2);
        long millis = Math.round(amount * switch (unit) {
            case "ms" -> 1L;
            case "s" -> 1000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            default -> 86_400_000L;
        });
        // Math.round saturates at Long.MAX_VALUE, so a huge amount lands here instead of overflowing later.
        Duration d = Duration.ofMillis(millis);
        if (d.compareTo(Duration.ofDays(MAX_DURATION_DAYS)) > 0) {
            throw new ConfigException("config key '" + key(name) + "' must be at most " + MAX_DURATION_DAYS
                    + "d, got " + v.asText());
        }
        if (d.compareTo(min) < 0) {
            throw new ConfigException("config key '" + key(name) + "' must be at least " + min.toMillis() + "ms, got "
                    + v.asText());
        }
        return d;
    }

    <E extends Enum<E>> E choice(String name, E fallback, Class<E> type) {
        JsonNode v = get(name);
        if (v == null) {
            return fallback;
        }
        String t = v.asText().trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(t)) {
                return e;
            }
        }
        throw new ConfigException("config key '" + key(name) + "' must be one of " + choices(type) + ", got "
                + describe(key(name), v));
    }

    static <E extends Enum<E>> String choices(Class<E> type) {
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        return String.join(", ", names);
    }

    /** The names of a mapping's entries, in file order (each read with {@link #child}). */
    List<String> names() {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String n = it.next();
            known.add(n);
            out.add(n);
        }
        return out;
    }

    /** A mapping of string keys to scalar values (e.g. pass-through properties). */
    Map<String, String> stringMap(String name) {
        ConfigNode c = child(name);
        Map<String, String> out = new LinkedHashMap<>();
        for (String n : c.names()) {
            JsonNode v = c.node.get(n);
            if (v == null || !v.isValueNode()) {
                throw new ConfigException("config key '" + c.key(n) + "' must be a scalar value, got "
                        + describe(c.key(n), v));
            }
            out.put(n, v.asText());
        }
        return out;
    }

    /** Fails if the mapping has keys nobody asked for. */
    void rejectUnknown() {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String n = it.next();
            if (!known.contains(n)) {
                throw new ConfigException("unknown config key '" + key(n) + "'; allowed here: "
                        + String.join(", ", known));
            }
        }
    }

    ObjectNode raw() {
        return (ObjectNode) node;
    }

    /** {@link #describe(JsonNode)}, hiding the value when {@code key} is a secret one. */
    static String describe(String key, JsonNode v) {
        if (v != null && v.isValueNode() && SecretKeys.isSecret(key)) {
            return "a value (hidden: '" + key + "' is a secret)";
        }
        return describe(v);
    }

    static String describe(JsonNode v) {
        if (v == null) {
            return "nothing";
        }
        if (v.isObject()) {
            return "a mapping";
        }
        if (v.isArray()) {
            return "a list";
        }
        return "'" + v.asText() + "'";
    }
}
