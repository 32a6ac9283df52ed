package dev.anomaly.job.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Config fuzz: seeded random and mutated YAML documents (from {@code examples/*.yaml}) and {@code --set} values
 * (every documented key with hostile values, and mangled keys) into {@link ConfigLoader#load}. Each case must load
 * or fail with a {@link ConfigException} whose message names a key, the file or the --set argument; any other
 * exception type is a bug. The failing cases are listed with their seed index so they can be replayed.
 */
class ConfigFuzzTest {
    static final long SEED = 8_2026L;
    static final int SET_CASES = 2_500;
    static final int FILE_CASES = 1_500;
    static final Pattern NAMES_WHAT = Pattern.compile("(?s)^(config key|config keys|unknown config key|config file"
            + "|config section|--set|config: ).*");
    static final List<String> VALUES = List.of("", " ", "-1", "0", "1", "2147483648", "-2147483649",
            "99999999999999999999", "1e309", "-1e309", ".nan", ".inf", "-.inf", "NaN", "abc", "[1, 2]", "[]", "{}",
            "{a: 1}", "null", "~", "true", "no", "5x", "1.5s", "-5s", "0s", "0ms", "1d", "P1D", "99999999999d",
            "1e3s", "'unclosed", "\"", ": :", "*alias", "&anchor x", "!!binary eA==", "!!int x", "!!float x",
            "@", "%", "\t", "\u0000", "x".repeat(10_000), "kafka", "json", "hybrid", "zscore", "cuda", "cpu",
            "127.0.0.1:notaport", "http://", "/nonexistent/path", "../..", "a=b=c", "- 1\n- 2", "? x", "|\n  x",
            ">", "\u00e9\u4e2d", "0x10", "0o7", "1_000", "+1", "--1", "1.5", "-0", "2e-400");

    @TempDir
    Path dir;

    @Test
    void setOverridesGiveConfigExceptionsOnly() throws IOException {
        List<String> keys = documentedKeys();
        assertThat(keys).hasSizeGreaterThan(30);
        Random rnd = new Random(SEED);
        List<String> bugs = new ArrayList<>();
        int[] outcomes = new int[3];
        for (int i = 0; i < SET_CASES; i++) {
            List<String> sets = new ArrayList<>();
            int n = 1 + rnd.nextInt(3);
            for (int k = 0; k < n; k++) {
                sets.add(key(rnd, keys) + (rnd.nextInt(20) == 0 ? "" : "=") + VALUES.get(rnd.nextInt(VALUES.size())));
            }
            outcomes[check("set #" + i + " " + shorten(sets.toString()), null, sets, bugs)]++;
        }
        System.out.printf("config fuzz, --set: %d loaded, %d ConfigException, %d other%n", outcomes[0], outcomes[1],
                outcomes[2]);
        assertThat(outcomes[0]).as("some cases load").isPositive();
        assertThat(outcomes[1]).as("some cases are rejected").isPositive();
        assertThat(bugs).as("cases failing with other than a ConfigException naming a key").isEmpty();
    }

    @Test
    void mutatedFilesGiveConfigExceptionsOnly() throws IOException {
        List<String> examples = new ArrayList<>();
        try (var s = Files.list(examplesDir())) {
            s.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(p -> {
                try {
                    examples.add(Files.readString(p));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        assertThat(examples).isNotEmpty();
        Random rnd = new Random(SEED + 1);
        List<String> bugs = new ArrayList<>();
        int[] outcomes = new int[3];
        Path file = dir.resolve("fuzz.yaml");
        for (int i = 0; i < FILE_CASES; i++) {
            byte[] doc = mutate(rnd, examples.get(rnd.nextInt(examples.size())));
            Files.write(file, doc);
            outcomes[check("file #" + i, file, List.of(), bugs)]++;
        }
        System.out.printf("config fuzz, files: %d loaded, %d ConfigException, %d other%n", outcomes[0], outcomes[1],
                outcomes[2]);
        assertThat(outcomes[0]).as("some cases load").isPositive();
        assertThat(outcomes[1]).as("some cases are rejected").isPositive();
        assertThat(bugs).as("cases failing with other than a ConfigException naming a key or the file").isEmpty();
    }

    /** 0: loaded, 1: a ConfigException, 2: anything else (recorded in bugs). */
    private static int check(String what, Path file, List<String> sets, List<String> bugs) {
        try {
            ConfigLoader.load(file, sets);
            return 0;
        } catch (ConfigException e) {
            if (e.getMessage() == null || !NAMES_WHAT.matcher(e.getMessage()).matches()) {
                bugs.add(what + ": message names no key: " + e.getMessage());
                return 2;
            }
            return 1;
        } catch (RuntimeException | StackOverflowError e) {
            bugs.add(what + ": " + e);
            return 2;
        }
    }

    private static String shorten(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    /** A documented key, sometimes mangled (typo, extra or empty level, escaped dot, odd characters). */
    private static String key(Random rnd, List<String> keys) {
        String k = keys.get(rnd.nextInt(keys.size()));
        return switch (rnd.nextInt(12)) {
            case 0 -> k + ".extra";
            case 1 -> k.substring(0, Math.max(1, rnd.nextInt(k.length())));
            case 2 -> k.replace('.', '\u0000');
            case 3 -> "." + k;
            case 4 -> k + ".";
            case 5 -> k.replaceFirst("\\.", "..");
            case 6 -> k.replace(".", "\\.");
            case 7 -> " " + k + " ";
            case 8 -> k.toUpperCase();
            default -> k;
        };
    }

    private static byte[] mutate(Random rnd, String yaml) {
        List<String> lines = new ArrayList<>(List.of(yaml.split("\n", -1)));
        int edits = 1 + rnd.nextInt(4);
        for (int e = 0; e < edits && !lines.isEmpty(); e++) {
            int at = rnd.nextInt(lines.size());
            String line = lines.get(at);
            switch (rnd.nextInt(9)) {
                case 0 -> lines.remove(at);
                case 1 -> lines.add(at, line);
                case 2 -> lines.set(at, " ".repeat(rnd.nextInt(6)) + line.strip());
                case 3 -> {
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        lines.set(at, line.substring(0, colon + 1) + " " + VALUES.get(rnd.nextInt(VALUES.size())));
                    }
                }
                case 4 -> lines.set(at, line.replace(":", rnd.nextBoolean() ? "" : "::"));
                case 5 -> lines.add(at, "\t" + line);
                case 6 -> lines.set(at, line + " #" + VALUES.get(rnd.nextInt(VALUES.size())));
                case 7 -> java.util.Collections.swap(lines, at, rnd.nextInt(lines.size()));
                default -> lines.set(at, line.substring(0, rnd.nextInt(line.length() + 1)));
            }
        }
        byte[] out = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        if (rnd.nextInt(10) == 0) {
            out = java.util.Arrays.copyOf(out, rnd.nextInt(out.length + 1));
        }
        if (rnd.nextInt(10) == 0 && out.length > 0) {
            out[rnd.nextInt(out.length)] = (byte) rnd.nextInt(256);
        }
        return out;
    }

    /** Every leaf key of the example configurations, dotted. */
    private static List<String> documentedKeys() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<String> keys = new ArrayList<>();
        try (var s = Files.list(examplesDir())) {
            for (Path p : s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                collect("", yaml.readTree(p.toFile()), keys);
            }
        }
        return keys.stream().distinct().toList();
    }

    private static void collect(String prefix, JsonNode n, List<String> keys) {
        if (n == null || !n.isObject()) {
            if (!prefix.isEmpty()) {
                keys.add(prefix);
            }
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            collect(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), keys);
        }
    }

    private static Path examplesDir() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("examples")) && Files.isRegularFile(d.resolve("examples/embedded.yaml"))) {
                return d.resolve("examples");
            }
        }
        throw new IllegalStateException("examples/ not found above " + Path.of("").toAbsolutePath());
    }
}
